package io.noprop.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The simulated chip's HELLO boot count (PROTOCOL.md, HELLO): non-zero, new per start, kept through RESET. */
class BootCountTest {
  @Test
  void eachStartIsANewBootAndResetIsNot() {
    AnalogChip a = TestChips.chip("ideal", "layers", "4-3-2");
    AnalogChip b = TestChips.chip("ideal", "layers", "4-3-2");
    assertNotEquals(0, a.hello().bootCount());
    assertNotEquals(a.hello().bootCount(), b.hello().bootCount(), "two starts share a boot count (probability 2^-32)");
    long before = a.hello().bootCount();
    a.reset();
    assertEquals(before, a.hello().bootCount(), "RESET is the controller's own command, not a boot");
  }
}
