package io.noprop.sim;

import static io.noprop.sim.TestChips.chip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.chip.ChipDispatcher;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.ChipStats;
import io.noprop.protocol.msg.MessageType;
import org.junit.jupiter.api.Test;

/** STATS on the simulator: the wire reply carries the cost ledger. */
class SimStatsTest {
  private static ChipStats statsOverTheWire(ChipDispatcher d, int seq) {
    Frame reply = d.dispatch(Frame.of(MessageType.STATS.code, seq, new byte[0]));
    assertEquals(MessageType.STATS.replyCode(), reply.type(), "STATS reply, not " + reply);
    return ChipStats.decode(reply.payload());
  }

  @Test
  void statsMatchTheLedgerAfterKnownEvaluations() {
    AnalogChip c = chip("ideal", "layers", "16-8-4", "t_mvm", "1e-6", "e_mvm", "1e-9", "idle_per_eval", "0");
    assertTrue(c.hello().has(Capability.STATS));
    ChipDispatcher d = new ChipDispatcher(c);
    TestChips.uploadRandom(c, 20, 4, 1);
    ChipStats before = statsOverTheWire(d, 1);
    int n = 7, batch = 5, tiles = 2; // 16 and 8 rows: one tile per layer
    for (int i = 0; i < n; i++) TestChips.eval(c, 0, batch);
    ChipStats after = statsOverTheWire(d, 2);
    ChipStats diff = after.minus(before);
    long mvms = (long) n * batch * tiles;
    assertEquals(mvms, diff.mvms());
    assertEquals(n, diff.evaluations());
    assertEquals(mvms * 1e-6, diff.chipSeconds(), 1e-15);
    assertEquals(mvms * 1e-9, diff.joules(), 1e-20);
    ChipCost ledger = c.cost();
    assertEquals(new ChipStats(ledger.seconds(), ledger.joules(), ledger.evaluations(), ledger.updates(), ledger.mvms(), ledger.pulses(),
        ledger.cellReads()), after);
  }

  @Test
  void resetStartsTheCountersAgain() {
    AnalogChip c = chip("ideal", "layers", "16-8-4", "t_mvm", "1e-6", "e_mvm", "1e-9");
    TestChips.uploadRandom(c, 20, 4, 1);
    TestChips.eval(c, 0, 5);
    c.reset();
    ChipStats s = c.stats();
    assertEquals(0, s.evaluations());
    assertEquals(0, s.mvms());
  }

  @Test
  void everyCounterIsZeroRightAfterBootAndAfterResetOnAnRramChip() {
    AnalogChip c = chip("rram", "layers", "16-8-4");
    ChipDispatcher d = new ChipDispatcher(c);
    ChipStats zero = new ChipStats(0, 0, 0, 0, 0, 0, 0);
    assertEquals(zero, statsOverTheWire(d, 1), "the boot's own programming of the zero weights is not counted");
    TestChips.uploadRandom(c, 20, 4, 1);
    TestChips.eval(c, 0, 5);
    assertEquals(1, statsOverTheWire(d, 2).evaluations());
    d.dispatch(Frame.of(MessageType.RESET.code, 4, new byte[0]));
    assertEquals(zero, statsOverTheWire(d, 5), "nor is RESET's");
  }

  @Test
  void writingWeightsAfterBootCountsItsPulsesFromZero() {
    AnalogChip c = chip("rram", "layers", "16-8-4");
    TestChips.uploadRandom(c, 20, 4, 1);
    c.writeWeights(new io.noprop.protocol.msg.WeightsChunk(0, new float[] {0.5f, -0.25f}));
    ChipStats s = c.stats();
    assertTrue(s.pulses() >= 2 && s.pulses() < 100, "two cells programmed: " + s.pulses() + " pulses");
    assertTrue(s.chipSeconds() > 0 && s.joules() > 0);
  }
}
