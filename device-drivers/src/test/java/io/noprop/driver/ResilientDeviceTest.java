package io.noprop.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.fault.FaultPlan;
import io.noprop.driver.fault.FaultyChip;
import io.noprop.driver.fault.FaultyWireLink;
import io.noprop.driver.fault.WireFault;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.prng.PerturbationPrng;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A chip that reboots (new HELLO boot count) is restored from the shadow before the next request. */
class ResilientDeviceTest {
  private static final RetryPolicy RETRY = new RetryPolicy(Duration.ofMillis(50), 3);

  final FakeChip fake = FakeChip.small();
  final FaultPlan plan = new FaultPlan(1);
  final FaultyChip chip = new FaultyChip(fake, plan);
  final ResilientDevice d = new ResilientDevice(new ProtocolDevice("fake:test", new FaultyWireLink(chip, plan), RETRY));
  final DatasetHeader header = new DatasetHeader(0, 2, 4, 2, FeatureEncoding.U8);
  final byte[] rows = {1, 2, 3, 4, 0, 5, 6, 7, 8, 1};

  private static UpdateRequest update(int seed, float c) {
    return new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(seed, c)));
  }

  private float[] trained() {
    float[] w = new float[fake.weights.length];
    for (int i = 0; i < w.length; i++) w[i] = (i % 7 - 3) / 10f;
    d.uploadDataset(header, rows);
    d.writeWeights(w);
    d.update(update(11, 0.05f));
    PerturbationPrng.addRademacher(w, 0, w.length, 11, 0.05f);
    return w;
  }

  @Test
  void aChipPowerCycledBehindAPulledCableGetsItsDatasetsAndWeightsBackBeforeTheNextRequest() {
    float[] w = trained();
    plan.once(WireFault.CHIP_RESET).once(WireFault.PULL_CABLE);
    d.update(update(12, -0.05f)); // sent to a chip that rebooted; the cable drops; the reconnect's HELLO shows the new boot
    PerturbationPrng.addRademacher(w, 0, w.length, 12, -0.05f);
    assertEquals(1, chip.powerCycles());
    assertEquals(1, d.reboots());
    assertEquals(1, d.restores());
    assertArrayEquals(w, fake.weights, "the chip holds the shadow, this UPDATE included, exactly once");
    assertEquals(2, fake.defines.size(), "the dataset was uploaded again");
    assertArrayEquals(w, d.readWeights(ReadWeightsRequest.Source.TARGET));
  }

  @Test
  void aRebootWithoutALinkDropIsCaughtBeforeWeightsAreReadBack() {
    float[] w = trained();
    chip.powerCycle();
    assertArrayEquals(w, d.readWeights(ReadWeightsRequest.Source.TARGET), "read back after the restore, not the blank chip's zeros");
    assertEquals(1, d.restores());
  }

  @Test
  void aChipThatDoesNotTrackBootsIsNeverRestored() {
    float[] w = trained();
    fake.reset(); // a chip without boot count (FakeChip says 0) cannot be told apart: documented limitation
    ResilientDevice plain = new ResilientDevice(new ProtocolDevice("fake:plain", new io.noprop.driver.link.InProcessLink(fake, "p"), RETRY));
    assertEquals(0, plain.info().bootCount());
    plain.readWeights(ReadWeightsRequest.Source.TARGET);
    assertEquals(0, plain.restores());
    assertTrue(w.length > 0);
  }

  @Test
  void aRebootAfterUpdatesOnUnknownWeightsIsAClearError() {
    d.uploadDataset(header, rows);
    d.update(update(3, 0.1f)); // on whatever the chip booted with: the shadow cannot follow
    chip.powerCycle();
    DeviceException e = assertThrows(DeviceException.class, () -> d.readWeights(ReadWeightsRequest.Source.TARGET));
    assertTrue(e.getMessage().contains("rebooted") && e.getMessage().contains("noprop never wrote"), e.getMessage());
  }
}
