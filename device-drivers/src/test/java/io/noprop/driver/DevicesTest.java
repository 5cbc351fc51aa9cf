package io.noprop.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DevicesTest {

  @Test
  void unknownSchemeIsABadUriListingTheKnownSchemes() {
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("tpu:v5?x=1"));
    assertEquals(DeviceException.Kind.BAD_URI, e.kind());
    assertTrue(e.getMessage().contains("unknown device scheme 'tpu:'"), e.getMessage());
    assertTrue(e.getMessage().contains("sim:PRESET"), "lists the sim provider: " + e.getMessage());
  }

  @Test
  void simProviderIsRegistered() {
    assertTrue(Devices.providers().stream().anyMatch(p -> p.scheme().equals("sim")));
  }

  @Test
  void simSchemeWithoutTheSimulatorOnTheClassPathSaysWhatToAdd() {
    // device-drivers does not depend on the simulator; its own tests run without one.
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("sim:rram"));
    assertEquals(DeviceException.Kind.BAD_URI, e.kind());
    assertTrue(e.getMessage().contains("add the simulator module"), e.getMessage());
  }

  @Test
  void uriWithoutSchemeFailsBeforeAnyProviderIsAsked() {
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("rram"));
    assertEquals(DeviceException.Kind.BAD_URI, e.kind());
  }
}
