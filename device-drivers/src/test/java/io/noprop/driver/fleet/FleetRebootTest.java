package io.noprop.driver.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.Device;
import io.noprop.driver.FakeChip;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.driver.fault.FaultPlan;
import io.noprop.driver.fault.FaultyChip;
import io.noprop.driver.fault.FaultyWireLink;
import io.noprop.driver.fault.WireFault;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.prng.PerturbationPrng;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** A fleet member whose reconnect HELLO shows a new boot count is re-programmed before its next task. */
class FleetRebootTest {
  @Test
  void aMemberThatRebootedBehindAReconnectIsReprogrammedFromTheShadow() {
    FakeChip fake = FakeChip.small();
    FaultPlan plan = new FaultPlan(2);
    FaultyChip chip = new FaultyChip(fake, plan);
    Supplier<Device> opener = () -> new ProtocolDevice("faulty", new FaultyWireLink(chip, plan), new RetryPolicy(Duration.ofMillis(20), 5));
    FleetOptions opt = new FleetOptions(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofMillis(10), 0, 0f);
    try (FleetDevice d = new FleetDevice("fleet", List.of("c"), List.of(opener), opt)) {
      float[] w = new float[d.info().parameterCount()];
      for (int i = 0; i < w.length; i++) w[i] = (i % 5 - 2) / 10f;
      d.writeWeights(w);
      plan.once(WireFault.CHIP_RESET).once(WireFault.PULL_CABLE);
      d.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(4, 0.125f))));
      PerturbationPrng.addRademacher(w, 0, w.length, 4, 0.125f);
      assertArrayEquals(w, d.readWeights(ReadWeightsRequest.Source.TARGET));
      assertArrayEquals(w, fake.weights, "the chip holds the shadow again, this UPDATE once");
      assertEquals(1, chip.powerCycles());
      assertTrue(d.stats().rejoins() >= 1, "the reboot counted as a rejoin: " + d.stats());
    }
  }
}
