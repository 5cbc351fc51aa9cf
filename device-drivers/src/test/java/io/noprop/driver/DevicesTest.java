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

  @Test
  void aSerialUriWithAnUnknownOptionIsRefusedNamingTheOptionsItTakes() {
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("serial:/dev/ttyACM0?buad=115200"));
    assertEquals(DeviceException.Kind.BAD_URI, e.kind());
    assertTrue(e.getMessage().contains("unknown option 'buad'") && e.getMessage().contains("attempts, baud, reconnect_s, timeout_ms"), e.getMessage());
  }

  @Test
  void anMqttUriWithAnUnknownOptionIsRefusedBeforeAnyConnect() {
    // port 1: nothing listens; the refusal must come from the option check, not from a connect
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("mqtt://127.0.0.1:1/chip-1?timeout=300"));
    assertEquals(DeviceException.Kind.BAD_URI, e.kind());
    assertTrue(e.getMessage().contains("unknown option 'timeout'") && e.getMessage().contains("timeout_ms"), e.getMessage());
  }

  @Test
  void aValueOutsideItsRangeIsRefusedWithTheRangeAndUnit() {
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("serial:/dev/ttyACM0?baud=0"));
    assertTrue(e.getMessage().contains("option baud=0") && e.getMessage().contains("[1, 100000000] (bit/s)"), e.getMessage());
    e = assertThrows(DeviceException.class, () -> Devices.open("mqtt://127.0.0.1:1/chip-1?attempts=many"));
    assertTrue(e.getMessage().contains("option attempts=many") && e.getMessage().contains("must be an integer"), e.getMessage());
  }

  @Test
  void everyLinkSchemeDocumentsEachOptionItTakes() {
    for (var p : Devices.providers()) {
      if (p.scheme().equals("sim")) continue; // declared by the simulator, absent from this module's tests
      assertTrue(!p.options().all().isEmpty(), p.scheme());
      for (DeviceOption o : p.options().all()) assertTrue(!o.doc().isBlank() && o.describe().startsWith(o.key()), p.scheme() + " " + o);
    }
  }
}
