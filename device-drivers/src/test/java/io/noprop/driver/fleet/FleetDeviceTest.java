package io.noprop.driver.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.Device;
import io.noprop.driver.DeviceException;
import io.noprop.driver.FakeChip;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.driver.WireStats;
import io.noprop.driver.link.InProcessLink;
import io.noprop.protocol.chip.ChipBackend;
import io.noprop.protocol.chip.ForwardingChipBackend;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import io.noprop.protocol.prng.PerturbationPrng;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Fleet policy on in-process fake chips: no broker, so only the fleet's own logic is under test. */
@Timeout(value = 120, unit = TimeUnit.SECONDS) // a guard against a hang, never a pass condition
class FleetDeviceTest {
  static final FleetOptions FAST = new FleetOptions(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMillis(10), 0, 0f);
  final List<FakeChip> chips = new ArrayList<>();

  private Supplier<Device> opener(FakeChip chip, String name) {
    return () -> new ProtocolDevice(name, new InProcessLink(chip, name), RetryPolicy.LOCAL);
  }

  private FleetDevice fleet(int n, FleetOptions opt) {
    List<String> names = new ArrayList<>();
    List<Supplier<Device>> openers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      FakeChip c = FakeChip.small();
      chips.add(c);
      names.add("fake-" + i);
      openers.add(opener(c, "fake-" + i));
    }
    return new FleetDevice("fleet", names, openers, opt);
  }

  private static List<EvaluateRequest[]> pairs(int n) {
    List<EvaluateRequest[]> g = new ArrayList<>();
    for (int j = 0; j < n; j++) {
      BatchSelector b = BatchSelector.range(0, 2);
      g.add(new EvaluateRequest[] {new EvaluateRequest(0, b, Perturbation.rademacher(j, 1, 0.1f)), new EvaluateRequest(0, b, Perturbation.rademacher(j, -1, 0.1f))});
    }
    return g;
  }

  private static float[] expected(float[] w, int seed, float c) {
    float[] out = w.clone();
    PerturbationPrng.addRademacher(out, 0, out.length, seed, c);
    return out;
  }

  @Test
  void pairsSpreadOverTheChipsAndEveryChipFollowsTheUpdates() {
    float[] w;
    try (FleetDevice f = fleet(3, FAST)) {
      assertEquals(3, f.parallelism());
      w = new float[f.info().parameterCount()];
      f.writeWeights(w);
      List<EvalResult[]> r = f.evaluateGroups(pairs(3));
      for (EvalResult[] pair : r) assertNotNull(pair);
      for (FakeChip c : chips) assertEquals(2, c.evaluates, "each chip evaluated one pair");
      f.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(9, 0.25f))));
    }
    float[] want = expected(w, 9, 0.25f);
    for (FakeChip c : chips) assertArrayEquals(want, c.weights);
  }

  @Test
  void wireStatsCountAnUpdateStillQueuedOnItsLane() {
    FakeChip chip = FakeChip.small();
    ChipBackend slowUpdates = new ForwardingChipBackend(chip) {
      @Override
      public UpdateResult update(UpdateRequest request) {
        UpdateResult r = inner.update(request);
        try {
          Thread.sleep(300); // the reply leaves the chip well after update() has returned to the trainer
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return r;
      }
    };
    Supplier<Device> opener = () -> new ProtocolDevice("slow", new InProcessLink(slowUpdates, "slow"), RetryPolicy.LOCAL);
    try (FleetDevice f = new FleetDevice("fleet", List.of("slow"), List.of(opener), FAST)) {
      f.writeWeights(new float[f.info().parameterCount()]);
      WireStats before = f.wireStats();
      f.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(9, 0.25f))));
      WireStats delta = f.wireStats().minus(before);
      assertEquals(1, delta.requests(), "the queued UPDATE is counted: " + delta);
      assertTrue(delta.bytesSent() > 0 && delta.bytesReceived() > 0, delta.toString());
      assertEquals(1, chip.updates);
    }
  }

  @Test
  void aChipThatDriftedIsReprogrammedAtTheNextCheck() {
    float[] w;
    try (FleetDevice f = fleet(3, new FleetOptions(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMillis(10), 2, 0f))) {
      w = new float[f.info().parameterCount()];
      f.writeWeights(w);
      f.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(1, 0.125f))));
      // A step that passes its deadline drops the pairs of a slow lane, so "this lane has run its
      // UPDATE" is awaited on the chip itself, not assumed after one step.
      while (chips.get(1).evaluates == 0) f.evaluateGroups(pairs(3)); // chip 1 ran UPDATE 1, then an evaluation
      chips.get(1).weights[0] += 0.5f; // the chip's cells moved behind the controller's back
      f.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(2, 0.125f))));
      // the read-back after UPDATE 2 runs on chip 1's lane; step until that lane has got there
      int before = chips.get(1).evaluates;
      while (chips.get(1).evaluates == before) f.evaluateGroups(pairs(3));
      assertEquals(1, f.stats().reprograms(), f.stats().toString());
    }
    float[] want = expected(expected(w, 1, 0.125f), 2, 0.125f);
    for (FakeChip c : chips) assertArrayEquals(want, c.weights);
  }

  @Test
  void aChipThatCannotBeReachedAtFirstJoinsLaterWithDataAndWeights() {
    FakeChip late = FakeChip.small();
    AtomicInteger tries = new AtomicInteger();
    FakeChip early = FakeChip.small();
    Supplier<Device> flaky = () -> {
      if (tries.incrementAndGet() <= 3) throw new DeviceException(DeviceException.Kind.LINK_DOWN, "not yet");
      return opener(late, "late").get();
    };
    try (FleetDevice f = new FleetDevice("fleet", List.of("early", "late"), List.of(opener(early, "early"), flaky), FAST)) {
      assertEquals(1, f.online());
      DatasetHeader h = new DatasetHeader(0, 2, 4, 2, FeatureEncoding.U8);
      f.uploadDataset(h, new byte[(int) h.totalBytes()]);
      float[] w = new float[f.info().parameterCount()];
      w[3] = 0.5f;
      f.writeWeights(w);
      // the probe runs every rejoin_ms: step until it has joined (the class timeout guards a hang)
      while (f.online() < 2) f.evaluateGroups(pairs(2));
      // "up" is set inside the join task, so its lane may still be busy for this step; the late
      // chip must get work once its lane is idle.
      while (late.evaluates == 0) f.evaluateGroups(pairs(2));
      assertEquals(1, late.defines.size(), "dataset uploaded on join");
      assertArrayEquals(w, late.weights, "weights programmed on join");
      assertTrue(f.stats().rejoins() >= 1);
    }
  }
}
