package io.noprop.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.noprop.driver.link.InProcessLink;
import io.noprop.driver.link.LinkDownException;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.msg.ReadWeightsRequest;
import org.junit.jupiter.api.Test;

class ForwardingDeviceTest {
  /** Overrides one call and counts it; everything else must reach the wrapped device. */
  static final class CountingWrites extends ForwardingDevice {
    int writes;

    CountingWrites(Device delegate) {
      super(delegate);
    }

    @Override
    public void writeWeights(float[] weights) {
      writes++;
      super.writeWeights(weights);
    }
  }

  @Test
  void aSubclassOverridingOneCallLeavesEveryOtherCallToTheWrappedDevice() {
    FakeChip chip = FakeChip.small();
    InProcessLink link = new InProcessLink(chip, "fake");
    ProtocolDevice inner = new ProtocolDevice("fake:fwd", link, RetryPolicy.LOCAL);
    CountingWrites d = new CountingWrites(inner);
    float[] w = new float[d.info().parameterCount()];
    for (int i = 0; i < w.length; i++) w[i] = -i / 64f;
    d.writeWeights(w);
    assertEquals(1, d.writes);
    assertArrayEquals(w, chip.weights);
    assertArrayEquals(w, d.readWeights(ReadWeightsRequest.Source.TARGET));
    assertSame(inner.info(), d.info());
    assertEquals("fake:fwd", d.uri());
    assertEquals(inner.wireStats(), d.wireStats());
    assertEquals(inner.parallelism(), d.parallelism());
    assertEquals(inner.fleetStats(), d.fleetStats());
    assertEquals(inner.chipStats(), d.chipStats());
    assertEquals(false, d.takeReboot());
    assertSame(inner, d.delegate());
    d.close();
    assertThrows(LinkDownException.class, () -> link.send(Frame.of(1, 1, new byte[0])), "closing the wrapper closed the wrapped device's link");
  }

  @Test
  void aMissingDelegateIsRefusedAtOnce() {
    assertThrows(IllegalArgumentException.class, () -> new ForwardingDevice(null) {});
  }
}
