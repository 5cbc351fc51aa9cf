package io.noprop.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceUriTest {

  @Test
  void parsesSchemeTargetAndOptionsInOrder() {
    DeviceUri u = DeviceUri.parse("sim:rram?seed=3&layers=16-8-4");
    assertEquals("sim", u.scheme());
    assertEquals("rram", u.target());
    assertEquals(Map.of("seed", "3", "layers", "16-8-4"), u.options());
    assertEquals(List.of("seed", "layers"), List.copyOf(u.options().keySet()));
    assertEquals("sim:rram?seed=3&layers=16-8-4", u.toString());
  }

  @Test
  void targetMayHoldSlashesAndColons() {
    DeviceUri serial = DeviceUri.parse("serial:/dev/ttyUSB0?baud=921600");
    assertEquals("/dev/ttyUSB0", serial.target());
    assertEquals("921600", serial.options().get("baud"));
    DeviceUri mqtt = DeviceUri.parse("mqtt://host:1883/chip-1");
    assertEquals("mqtt", mqtt.scheme());
    assertEquals("//host:1883/chip-1", mqtt.target());
    assertEquals(Map.of(), mqtt.options());
  }

  @Test
  void schemeIsCaseInsensitiveAndTargetMayBeEmpty() {
    DeviceUri u = DeviceUri.parse("SIM:?seed=1");
    assertEquals("sim", u.scheme());
    assertEquals("", u.target());
    assertEquals("1", u.options().get("seed"));
  }

  @Test
  void optionKeysAndValuesArePercentDecoded() {
    DeviceUri u = DeviceUri.parse("mqtt://broker/chip?topic=lab%2Fbench%201&pass%77ord=a%3Db%26c");
    assertEquals("lab/bench 1", u.options().get("topic"));
    assertEquals("a=b&c", u.options().get("password"));
  }

  @Test
  void emptyOptionSegmentsAreSkippedAndValuesMayBeEmpty() {
    DeviceUri u = DeviceUri.parse("sim:ideal?&seed=2&&note=&");
    assertEquals(Map.of("seed", "2", "note", ""), u.options());
  }

  @Test
  void optionsAreReadOnly() {
    DeviceUri u = DeviceUri.parse("sim:ideal?seed=2");
    assertThrows(UnsupportedOperationException.class, () -> u.options().put("x", "y"));
  }

  @Test
  void missingSchemeIsABadUriWithAnExample() {
    for (String text : new String[] {"rram", ":rram", ""}) {
      DeviceException e = assertThrows(DeviceException.class, () -> DeviceUri.parse(text));
      assertEquals(DeviceException.Kind.BAD_URI, e.kind());
      assertTrue(e.getMessage().contains("'" + text + "' has no scheme") && e.getMessage().contains("sim:rram"), e.getMessage());
    }
  }

  @Test
  void optionWithoutKeyEqualsValueIsABadUriNamingIt() {
    for (String bad : new String[] {"seed", "=3"}) {
      DeviceException e = assertThrows(DeviceException.class, () -> DeviceUri.parse("sim:rram?layers=4-2&" + bad));
      assertEquals(DeviceException.Kind.BAD_URI, e.kind());
      assertTrue(e.getMessage().contains("'" + bad + "'") && e.getMessage().contains("key=value"), e.getMessage());
    }
  }

  @Test
  void malformedPercentEscapeIsABadUriNamingTheOption() {
    DeviceException e = assertThrows(DeviceException.class, () -> DeviceUri.parse("sim:rram?seed=%zz"));
    assertEquals(DeviceException.Kind.BAD_URI, e.kind());
    assertTrue(e.getMessage().contains("seed=%zz"), e.getMessage());
  }

  @Test
  void anOptionAddedParsesBackToTheSameAddress() {
    DeviceUri u = DeviceUri.parse("sim:harsh?seed=3").withOption("layers", "50-128-10");
    assertEquals("sim:harsh?seed=3&layers=50-128-10", u.toString());
    assertEquals(u, DeviceUri.parse(u.text()));
    DeviceUri odd = DeviceUri.parse("mqtt://host/chip-1?tls_ca=/etc/ssl/ca.pem").withOption("password", "a&b=c %d+e");
    assertEquals("a&b=c %d+e", DeviceUri.parse(odd.text()).options().get("password"));
    assertEquals("/etc/ssl/ca.pem", DeviceUri.parse(odd.text()).options().get("tls_ca"));
    assertEquals("sim:rram?layers=4-2", DeviceUri.parse("sim:rram?layers=9-9").withOption("layers", "4-2").text());
  }
}
