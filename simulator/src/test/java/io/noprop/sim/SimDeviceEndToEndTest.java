package io.noprop.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.Device;
import io.noprop.driver.DeviceException;
import io.noprop.driver.Devices;
import io.noprop.driver.WireStats;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.ReadWeightsRequest.Source;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.prng.PerturbationPrng;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator reached the way the controller reaches it: {@code Devices.open}, protocol bytes, InProcessLink. */
class SimDeviceEndToEndTest {

  @Test
  void openUploadEvaluateUpdateAndReadBackThroughTheProtocol() {
    try (Device d = Devices.open("sim:rram?seed=3&layers=16-8-4")) {
      assertArrayEquals(new int[] {16, 8, 4}, d.info().layerSizes());
      assertEquals("3", d.info().properties().get("seed"));
      assertEquals("sim:rram", d.info().model());
      int params = d.info().parameterCount();
      assertEquals(16 * 8 + 8 + 8 * 4 + 4, params);

      float[] w = new float[params];
      for (int i = 0; i < params; i++) w[i] = ((i * 37) % 101) / 101f - 0.5f;
      d.writeWeights(w);
      assertArrayEquals(w, d.readWeights(Source.TARGET));

      DatasetHeader h = new DatasetHeader(0, 20, 16, 4, FeatureEncoding.U8);
      d.uploadDataset(h, TestChips.randomU8Rows(20, 16, 4, 1));
      EvalResult r = d.evaluate(new EvaluateRequest(0, BatchSelector.range(0, 20), Perturbation.NONE));
      assertEquals(20, r.count());
      assertTrue(Float.isFinite(r.loss()) && r.loss() > 0, "loss " + r.loss());

      d.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(5, 0.01f), new SeedTerm(6, -0.02f))));
      float[] shadow = w.clone();
      PerturbationPrng.addRademacher(shadow, 0, params, 5, 0.01f);
      PerturbationPrng.addRademacher(shadow, 0, params, 6, -0.02f);
      assertArrayEquals(shadow, d.readWeights(Source.TARGET), "controller shadow and chip agree bit for bit");
      float[] programmed = d.readWeights(Source.PROGRAMMED);
      double err = 0;
      for (int i = 0; i < params; i++) err = Math.max(err, Math.abs(programmed[i] - shadow[i]));
      assertTrue(err > 0 && err < 0.15, "programmed weights are the targets plus rram noise: max error " + err);
    }
  }

  @Test
  void sameUriGivesTheSameNoisyLosses() {
    float[] a = losses("sim:rram?seed=3&layers=16-8-4");
    float[] b = losses("sim:rram?seed=3&layers=16-8-4");
    assertArrayEquals(a, b);
  }

  private static float[] losses(String uri) {
    try (Device d = Devices.open(uri)) {
      d.uploadDataset(new DatasetHeader(0, 20, 16, 4, FeatureEncoding.U8), TestChips.randomU8Rows(20, 16, 4, 1));
      float[] out = new float[5];
      for (int i = 0; i < 5; i++) out[i] = d.evaluate(new EvaluateRequest(0, BatchSelector.seeded(i, 10), Perturbation.rademacher(i, 1, 0.05f))).loss();
      return out;
    }
  }

  @Test
  void chipErrorsArriveAsDeviceErrorsWithTheirCode() {
    try (Device d = Devices.open("sim:ideal?layers=16-8-4&max_batch=8")) {
      DeviceException e = assertThrows(DeviceException.class,
          () -> d.evaluate(new EvaluateRequest(0, BatchSelector.range(0, 1), Perturbation.NONE)));
      assertEquals(ErrorCode.NO_DATASET, e.error().knownCode());
      d.uploadDataset(new DatasetHeader(0, 20, 16, 4, FeatureEncoding.U8), TestChips.randomU8Rows(20, 16, 4, 1));
      e = assertThrows(DeviceException.class, () -> d.evaluate(new EvaluateRequest(0, BatchSelector.range(0, 9), Perturbation.NONE)));
      assertEquals(ErrorCode.BATCH_TOO_LARGE, e.error().knownCode());
    }
  }

  @Test
  void badPresetOrOptionInTheUriIsABadUri() {
    DeviceException preset = assertThrows(DeviceException.class, () -> Devices.open("sim:flash"));
    assertEquals(DeviceException.Kind.BAD_URI, preset.kind());
    assertTrue(preset.getMessage().contains("'flash'") && preset.getMessage().contains("ideal, rram, pcm, ecram, harsh"), preset.getMessage());
    DeviceException option = assertThrows(DeviceException.class, () -> Devices.open("sim:rram?sead=3"));
    assertEquals(DeviceException.Kind.BAD_URI, option.kind());
    assertTrue(option.getMessage().contains("'sead'"), option.getMessage());
  }

  @Test
  void emptyTargetOpensTheIdealPreset() {
    try (Device d = Devices.open("sim:?layers=4-2")) {
      assertEquals("sim:ideal", d.info().model());
    }
  }

  /** Bytes of one training step: EVALUATE(+), EVALUATE(-), UPDATE with one term. */
  private static WireStats stepBytes(String layers, int batch) {
    try (Device d = Devices.open("sim:rram?seed=3&layers=" + layers)) {
      int features = d.info().layerSizes()[0];
      int classes = Math.min(4, d.info().layerSizes()[d.info().layerSizes().length - 1]);
      d.uploadDataset(new DatasetHeader(0, 32, features, classes, FeatureEncoding.U8), TestChips.randomU8Rows(32, features, classes, 2));
      WireStats before = d.wireStats();
      BatchSelector b = BatchSelector.seeded(99, batch);
      EvalResult plus = d.evaluate(new EvaluateRequest(0, b, Perturbation.rademacher(7, 1, 0.01f)));
      EvalResult minus = d.evaluate(new EvaluateRequest(0, b, Perturbation.rademacher(7, -1, 0.01f)));
      assertEquals(batch, plus.count());
      assertEquals(batch, minus.count());
      d.update(new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(7, -0.001f))));
      return d.wireStats().minus(before);
    }
  }

  @Test
  void aTrainingStepCostsTheSameBytesWhateverTheNetworkOrBatchSize() {
    WireStats small = stepBytes("16-8-4", 8);
    WireStats wide = stepBytes("784-128-10", 8);
    WireStats bigBatch = stepBytes("16-8-4", 512);
    WireStats both = stepBytes("784-128-10", 512);
    for (WireStats s : List.of(wide, bigBatch, both)) {
      assertEquals(small.bytesSent(), s.bytesSent(), "sent");
      assertEquals(small.bytesReceived(), s.bytesReceived(), "received");
      assertEquals(3, s.requests());
      assertEquals(0, s.retries());
    }
    // 2 x (18-byte EVALUATE + 12 framing) + (10-byte UPDATE + 12 framing); replies 2 x (12 + 12) + (4 + 12).
    assertEquals(2 * 30 + 22, small.bytesSent());
    assertEquals(2 * 24 + 16, small.bytesReceived());
    assertTrue(small.bytesSent() + small.bytesReceived() < 4 * (784 * 128 + 128 + 128 * 10 + 10) / 1000,
        "a step is seed-sized, not weight-sized");
  }
}
