package io.noprop.driver.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.FakeChip;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.msg.ReadWeightsRequest;
import org.junit.jupiter.api.Test;

class ForwardingLinkTest {
  /** Overrides one call; everything else must reach the wrapped link unchanged. */
  static final class CountingLink extends ForwardingLink {
    int sends;

    CountingLink(Link delegate) {
      super(delegate);
    }

    @Override
    public void send(Frame frame) {
      sends++;
      super.send(frame);
    }
  }

  @Test
  void aSubclassOverridingSendStillCarriesADeviceSessionAndReportsTheWrappedCounts() {
    FakeChip chip = FakeChip.small();
    InProcessLink inner = new InProcessLink(chip, "fake");
    CountingLink link = new CountingLink(inner);
    try (ProtocolDevice d = new ProtocolDevice("fake:fwd", link, RetryPolicy.LOCAL)) {
      float[] w = new float[d.info().parameterCount()];
      for (int i = 0; i < w.length; i++) w[i] = i / 64f;
      d.writeWeights(w);
      assertArrayEquals(w, d.readWeights(ReadWeightsRequest.Source.TARGET));
      assertEquals(inner.bytesSent(), link.bytesSent());
      assertEquals(inner.bytesReceived(), link.bytesReceived());
      assertEquals(inner.bytesSent(), d.wireStats().bytesSent());
      assertEquals("fake", link.peer());
      assertEquals(inner, link.delegate());
      assertTrue(link.sends >= 3, "HELLO, a write and a read went through the override: " + link.sends);
    }
    assertThrows(LinkDownException.class, () -> inner.send(Frame.of(1, 1, new byte[0])), "closing the wrapper closed the wrapped link");
  }

  @Test
  void defaultMethodsAreForwardedNotInherited() {
    Link inner = new ForwardingLink(new InProcessLink(FakeChip.small(), "fake")) {
      @Override
      public int baud() {
        return 115_200;
      }
    };
    ForwardingLink link = new ForwardingLink(inner) {};
    assertEquals(115_200, link.baud());
    assertEquals("", link.timeoutHint());
    assertEquals(false, link.reconnect());
  }

  @Test
  void aMissingDelegateIsRefusedAtOnce() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ForwardingLink(null) {});
    assertEquals("delegate must not be null", e.getMessage());
  }
}
