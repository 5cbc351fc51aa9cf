package io.noprop.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.data.Dataset;
import io.noprop.driver.DeviceUri;
import io.noprop.protocol.msg.FeatureEncoding;
import org.junit.jupiter.api.Test;

class SimSizingTest {
  private static final Dataset FIFTY_BY_TEN = new Dataset("d", 1, 50, 10, FeatureEncoding.U8, new byte[51]);

  @Test
  void aSimulatedChipWithoutLayersGetsTheDatasShape() {
    assertEquals("sim:rram?layers=50-128-10", SimSizing.fit(DeviceUri.parse("sim:rram"), FIFTY_BY_TEN).text());
    assertEquals("sim:harsh?seed=3&layers=50-128-10", SimSizing.fit(DeviceUri.parse("sim:harsh?seed=3"), FIFTY_BY_TEN).text());
  }

  @Test
  void anExplicitShapeAndRealChipsAreLeftAlone() {
    assertFalse(SimSizing.applies(DeviceUri.parse("sim:rram?layers=784-64-10")));
    assertEquals("sim:rram?layers=784-64-10", SimSizing.fit(DeviceUri.parse("sim:rram?layers=784-64-10"), FIFTY_BY_TEN).text());
    assertEquals("serial:/dev/ttyUSB0", SimSizing.fit(DeviceUri.parse("serial:/dev/ttyUSB0"), FIFTY_BY_TEN).text());
    assertEquals("mqtt://localhost:1883/chip-1", SimSizing.fit(DeviceUri.parse("mqtt://localhost:1883/chip-1"), FIFTY_BY_TEN).text());
    assertTrue(SimSizing.applies(DeviceUri.parse("sim:ideal")));
  }
}
