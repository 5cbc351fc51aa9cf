package io.noprop.protocol.msg;

import static io.noprop.protocol.msg.PayloadAssertions.assertEveryTruncationRejected;
import static io.noprop.protocol.msg.PayloadAssertions.assertTrailingByteRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelloInfoTest {
  static HelloInfo sample() {
    Map<String, String> props = new LinkedHashMap<>();
    props.put("preset", "rram");
    props.put("unit", "µS"); // non-ASCII survives: strings are UTF-8
    return new HelloInfo(1, "fw 1.2.0", "chip-0042", "sim:rram", new int[] {784, 64, 10}, -1f, 1f, 64,
        Capability.BATCH_SEEDED.bit | Capability.UPDATE_SEEDED.bit, 1024, 256, 4, 1L << 20, props, 0xFFFFFFF0L);
  }

  @Test
  void roundTripsEveryField() {
    HelloInfo h = sample();
    HelloInfo d = HelloInfo.decode(h.encode());
    assertEquals(1, d.protocolVersion());
    assertEquals("fw 1.2.0", d.firmwareVersion());
    assertEquals("chip-0042", d.deviceId());
    assertEquals("sim:rram", d.model());
    assertArrayEquals(new int[] {784, 64, 10}, d.layerSizes());
    assertEquals(-1f, d.weightMin());
    assertEquals(1f, d.weightMax());
    assertEquals(64, d.weightLevels());
    assertEquals(h.capabilities(), d.capabilities());
    assertEquals(1024, d.maxPayload());
    assertEquals(256, d.maxBatch());
    assertEquals(4, d.datasetSlots());
    assertEquals(1L << 20, d.maxDatasetBytes());
    assertEquals(List.copyOf(h.properties().entrySet()), List.copyOf(d.properties().entrySet()), "properties keep their order");
    assertEquals(0xFFFFFFF0L, d.bootCount(), "the boot count is unsigned");
    assertArrayEquals(h.encode(), d.encode());
  }

  @Test
  void bootCountIsTheLastFourBytes() {
    byte[] p = sample().encode();
    assertArrayEquals(new byte[] {(byte) 0xf0, (byte) 0xff, (byte) 0xff, (byte) 0xff}, java.util.Arrays.copyOfRange(p, p.length - 4, p.length));
  }

  @Test
  void sameBootNeedsTheSameNonZeroCountOfTheSameChip() {
    HelloInfo h = sample();
    assertTrue(h.sameBootAs(HelloInfo.decode(h.encode())));
    assertFalse(h.sameBootAs(h.withBootCount(1)), "a new boot");
    HelloInfo untracked = h.withBootCount(0);
    assertFalse(untracked.sameBootAs(untracked), "0: the chip does not track boots, nothing can be concluded");
  }

  @Test
  void parameterCountIsWeightsPlusBiasesOfEveryLayer() {
    assertEquals(784 * 64 + 64 + 64 * 10 + 10, sample().parameterCount());
  }

  @Test
  void capabilityBitsAreNamed() {
    HelloInfo h = sample();
    assertTrue(h.has(Capability.BATCH_SEEDED));
    assertFalse(h.has(Capability.BATCH_RANGE));
    assertEquals(List.of("BATCH_SEEDED", "UPDATE_SEEDED"), h.capabilityNames());
  }

  @Test
  void capabilityBitValuesAreTheWireContract() {
    int[] want = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512};
    Capability[] all = Capability.values();
    assertEquals(want.length, all.length);
    for (int i = 0; i < want.length; i++) assertEquals(want[i], all[i].bit, all[i].name());
  }

  @Test
  void decodeRejectsTruncatedAndTrailingPayloads() {
    byte[] p = sample().encode();
    assertEveryTruncationRejected(p, HelloInfo::decode);
    assertTrailingByteRejected(p, HelloInfo::decode);
  }

  @Test
  void decodeRejectsFewerThanTwoLayers() {
    HelloInfo one = new HelloInfo(1, "", "", "", new int[] {5}, 0f, 1f, 0, 0, 64, 1, 0, 0, Map.of());
    assertThrows(MalformedPayloadException.class, () -> HelloInfo.decode(one.encode()));
  }

  @Test
  void decodeRejectsALayerOfSizeZero() {
    HelloInfo zero = new HelloInfo(1, "", "", "", new int[] {5, 0}, 0f, 1f, 0, 0, 64, 1, 0, 0, Map.of());
    assertThrows(MalformedPayloadException.class, () -> HelloInfo.decode(zero.encode()));
  }

  @Test
  void layerSizesCannotBeChangedThroughTheRecord() {
    int[] sizes = {4, 2};
    HelloInfo h = new HelloInfo(1, "", "", "", sizes, 0f, 1f, 0, 0, 64, 1, 0, 0, Map.of());
    sizes[0] = 99;
    h.layerSizes()[1] = 99;
    assertArrayEquals(new int[] {4, 2}, h.layerSizes());
  }
}
