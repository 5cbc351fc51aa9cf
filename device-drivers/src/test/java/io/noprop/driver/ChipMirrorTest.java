package io.noprop.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.link.InProcessLink;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.GuideMix;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChipMirrorTest {
  final FakeChip chip = FakeChip.small();
  final Device device = new ProtocolDevice("fake", new InProcessLink(chip, "fake"), RetryPolicy.LOCAL);
  final ChipMirror mirror = new ChipMirror(chip.weights.length, -1f, 1f);

  static DatasetHeader header(int slot, int rows) {
    return new DatasetHeader(slot, rows, 4, 2, FeatureEncoding.U8);
  }

  static byte[] rows(DatasetHeader h) {
    return new byte[(int) h.totalBytes()];
  }

  static UpdateRequest update(int seed, float c) {
    return new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(seed, c)));
  }

  @Test
  void aBlankChipGetsTheLastUploadOfEachSlotThenTheWeights() {
    DatasetHeader a = header(0, 2), b = header(1, 3), a2 = header(0, 5);
    mirror.upload(a, rows(a));
    mirror.upload(b, rows(b));
    mirror.upload(a2, rows(a2)); // slot 0 again: only this one is needed
    float[] w = new float[chip.weights.length];
    w[2] = 0.5f;
    mirror.write(w);
    assertTrue(new ChipMirror.Holding().bring(device, mirror.state()));
    assertEquals(List.of(b, a2), chip.defines, "slot 1, then slot 0 as last uploaded");
    assertArrayEquals(w, chip.weights);
  }

  @Test
  void aChipInStepGetsOnlyWhatChangedSinceItLastCaughtUp() {
    ChipMirror.Holding held = new ChipMirror.Holding();
    DatasetHeader a = header(0, 2), b = header(1, 3);
    mirror.upload(a, rows(a));
    mirror.write(new float[chip.weights.length]);
    held.bring(device, mirror.state());
    mirror.upload(b, rows(b));
    assertFalse(held.bring(device, mirror.state()), "the weights did not change: not written again");
    assertEquals(List.of(a, b), chip.defines);
    assertEquals(1, chip.weightWrites.size());
  }

  @Test
  void anUpdateIsMirroredAsTheChipAppliesItAndUnknownWeightsAreSaidSo() {
    assertEquals(-1, mirror.update(update(3, 0.25f)), "the chip's own initial weights are unknown");
    assertNull(mirror.weights());
    float[] w = new float[chip.weights.length];
    mirror.write(w);
    long clipped = mirror.update(update(3, 0.25f));
    float[] want = w.clone();
    assertEquals(UpdateRequest.apply(want, update(3, 0.25f).terms(), -1f, 1f), clipped);
    assertArrayEquals(want, mirror.weights());
  }

  @Test
  void guidedUpdatesAreMirroredOverTheBasisAndABlankChipGetsTheBasisBeforeTheWeights() {
    int n = chip.weights.length;
    float[][] basis = new float[2][n];
    for (int i = 0; i < n; i++) {
      basis[0][i] = 0.5f - 0.1f * i;
      basis[1][i] = 0.25f * (i % 3);
    }
    mirror.write(new float[n]);
    mirror.writeBasis(0, basis[0]);
    mirror.writeBasis(1, basis[1]);
    GuideMix mix = GuideMix.of(2, 0.9);
    List<SeedTerm> terms = List.of(new SeedTerm(3, 0.05f, DirectionMask.WHOLE, mix), new SeedTerm(4, -0.02f, DirectionMask.WHOLE, mix));
    float[] want = new float[n];
    assertEquals(UpdateRequest.apply(want, terms, basis, -1f, 1f), mirror.update(UpdateRequest.of(terms)));
    assertArrayEquals(want, mirror.weights(), "the same arithmetic as the chip (PROTOCOL.md 9.2)");

    List<String> calls = new ArrayList<>();
    Device recording = new ForwardingDevice(device) {
      @Override
      public void writeBasis(int index, float[] vector) {
        calls.add("basis " + index + " " + Arrays.equals(vector, basis[index]));
      }

      @Override
      public void writeWeights(float[] weights) {
        calls.add("weights");
        super.writeWeights(weights);
      }
    };
    ChipMirror.Holding held = new ChipMirror.Holding();
    held.bring(recording, mirror.state());
    assertEquals(List.of("basis 0 true", "basis 1 true", "weights"), calls);
    held.bring(recording, mirror.state());
    assertEquals(3, calls.size(), "nothing changed: nothing sent again");
    mirror.reset();
    assertNull(mirror.state().basis(), "RESET forgets the basis, as the chip does");
  }

  @Test
  void aChipThatMissedAResetIsClearedBeforeItIsBroughtBack() {
    ChipMirror.Holding held = new ChipMirror.Holding();
    DatasetHeader a = header(0, 2), b = header(1, 3);
    mirror.upload(a, rows(a));
    held.bring(device, mirror.state());
    mirror.reset();
    mirror.upload(b, rows(b));
    held.bring(device, mirror.state());
    assertEquals(1, chip.resets);
    assertEquals(List.of(a, b), chip.defines);
    assertArrayEquals(new float[chip.weights.length], chip.weights, "RESET zeroes the weights, which the mirror holds too");
  }
}
