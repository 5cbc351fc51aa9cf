package io.noprop.protocol.msg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What HELLO tells the controller: everything it must not guess.
 *
 * <p>The parameter vector is, layer by layer, the weights in input-major order (index
 * {@code i * fanOut + o}) followed by the biases; {@link #parameterCount()} is its length.
 *
 * @param protocolVersion protocol version the device speaks
 * @param firmwareVersion free-form firmware version
 * @param deviceId stable id of this chip (serial number)
 * @param model what kind of device this is, e.g. {@code sim:rram}
 * @param layerSizes network widths from input to output, e.g. [784, 64, 10]
 * @param weightMin smallest weight the device can hold
 * @param weightMax largest weight the device can hold
 * @param weightLevels distinct programmable levels per weight, 0 if continuous
 * @param capabilities bit set of {@link Capability}
 * @param maxPayload largest payload the device accepts or sends
 * @param maxBatch largest batch one EVALUATE may name
 * @param datasetSlots number of dataset slots
 * @param maxDatasetBytes bytes available for all datasets together
 * @param properties device description (preset and its parameters), in order
 * @param bootCount changes every time the chip boots (power-up, reset pin, watchdog) and at no
 *     other time, so a controller that sees a new value knows the chip lost its weights, datasets
 *     and replay cache; 0 when the chip does not track boots (PROTOCOL.md, HELLO). Unsigned 32 bits.
 * @param maxBasis basis vectors the chip stores for GUIDED directions, 1..32 with capability
 *     {@link Capability#DIRECTION_GUIDED} (a trailing u8 on the wire), else 0 (absent)
 */
public record HelloInfo(
    int protocolVersion,
    String firmwareVersion,
    String deviceId,
    String model,
    int[] layerSizes,
    float weightMin,
    float weightMax,
    long weightLevels,
    int capabilities,
    int maxPayload,
    int maxBatch,
    int datasetSlots,
    long maxDatasetBytes,
    Map<String, String> properties,
    long bootCount,
    int maxBasis) {

  public HelloInfo {
    layerSizes = layerSizes.clone();
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    if (bootCount < 0 || bootCount > 0xFFFFFFFFL) throw new IllegalArgumentException("boot count must fit a u32: " + bootCount);
    if (((capabilities & Capability.DIRECTION_GUIDED.bit) != 0) != (maxBasis > 0) || maxBasis < 0 || maxBasis > GuideMix.MAX_VECTORS) {
      throw new IllegalArgumentException("max basis " + maxBasis + " must be 1.." + GuideMix.MAX_VECTORS + " with DIRECTION_GUIDED, 0 without");
    }
  }

  /**
   * A chip without GUIDED directions (max basis 0): a DIRECTION_GUIDED bit in {@code capabilities}
   * is dropped, so a description copied from another chip's HELLO stays consistent.
   */
  public HelloInfo(int protocolVersion, String firmwareVersion, String deviceId, String model, int[] layerSizes, float weightMin,
      float weightMax, long weightLevels, int capabilities, int maxPayload, int maxBatch, int datasetSlots, long maxDatasetBytes,
      Map<String, String> properties, long bootCount) {
    this(protocolVersion, firmwareVersion, deviceId, model, layerSizes, weightMin, weightMax, weightLevels,
        capabilities & ~Capability.DIRECTION_GUIDED.bit, maxPayload, maxBatch, datasetSlots, maxDatasetBytes, properties, bootCount, 0);
  }

  /** A chip that does not track boots (boot count 0). */
  public HelloInfo(int protocolVersion, String firmwareVersion, String deviceId, String model, int[] layerSizes, float weightMin,
      float weightMax, long weightLevels, int capabilities, int maxPayload, int maxBatch, int datasetSlots, long maxDatasetBytes,
      Map<String, String> properties) {
    this(protocolVersion, firmwareVersion, deviceId, model, layerSizes, weightMin, weightMax, weightLevels, capabilities, maxPayload,
        maxBatch, datasetSlots, maxDatasetBytes, properties, 0);
  }

  /** The same description with another boot count (what the chip says after it boots again). */
  public HelloInfo withBootCount(long boot) {
    return new HelloInfo(protocolVersion, firmwareVersion, deviceId, model, layerSizes, weightMin, weightMax, weightLevels, capabilities,
        maxPayload, maxBatch, datasetSlots, maxDatasetBytes, properties, boot, maxBasis);
  }

  /** The same description storing {@code vectors} basis vectors (0: without GUIDED directions). */
  public HelloInfo withMaxBasis(int vectors) {
    int caps = vectors > 0 ? capabilities | Capability.DIRECTION_GUIDED.bit : capabilities & ~Capability.DIRECTION_GUIDED.bit;
    return new HelloInfo(protocolVersion, firmwareVersion, deviceId, model, layerSizes, weightMin, weightMax, weightLevels, caps,
        maxPayload, maxBatch, datasetSlots, maxDatasetBytes, properties, bootCount, vectors);
  }

  /** True when both describe the same boot of the same chip, i.e. its weights and datasets survived in between. */
  public boolean sameBootAs(HelloInfo other) {
    return bootCount != 0 && bootCount == other.bootCount && deviceId.equals(other.deviceId);
  }

  /**
   * Weights plus biases over all layers.
   *
   * @throws ArithmeticException when the layers hold more than an int counts (a HELLO of up to
   *     255 layers of 65535 can claim that; {@link #parameterCount(int[])} tells without throwing)
   */
  public int parameterCount() {
    return Math.toIntExact(parameterCount(layerSizes));
  }

  /** Weights plus biases of a network with these widths, exact (u16 widths cannot overflow a long). */
  public static long parameterCount(int[] layerSizes) {
    long n = 0;
    for (int l = 0; l + 1 < layerSizes.length; l++) n += (long) layerSizes[l] * layerSizes[l + 1] + layerSizes[l + 1];
    return n;
  }

  public boolean has(Capability c) {
    return (capabilities & c.bit) != 0;
  }

  @Override
  public int[] layerSizes() {
    return layerSizes.clone();
  }

  public byte[] encode() {
    PayloadWriter w = new PayloadWriter(128);
    w.u8(protocolVersion).str(firmwareVersion).str(deviceId).str(model);
    w.u8(layerSizes.length);
    for (int s : layerSizes) w.u16(s);
    w.f32(weightMin).f32(weightMax).u32(weightLevels).i32(capabilities);
    w.u16(maxPayload).u16(maxBatch).u8(datasetSlots).u32(maxDatasetBytes);
    w.u8(properties.size());
    for (Map.Entry<String, String> e : properties.entrySet()) w.str(e.getKey()).str(e.getValue());
    w.u32(bootCount);
    if (maxBasis > 0) w.u8(maxBasis); // only with DIRECTION_GUIDED: older HELLOs stay byte for byte
    return w.toByteArray();
  }

  public static HelloInfo decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    int version = r.u8("protocol version");
    String fw = r.str("firmware version");
    String id = r.str("device id");
    String model = r.str("model");
    int nl = r.u8("layer count");
    if (nl < 2) throw new MalformedPayloadException("HELLO names " + nl + " layer sizes; a network needs at least 2");
    int[] sizes = new int[nl];
    for (int i = 0; i < nl; i++) {
      sizes[i] = r.u16("layer size");
      if (sizes[i] == 0) throw new MalformedPayloadException("HELLO layer " + i + " has size 0");
    }
    float wmin = r.f32("weight min");
    float wmax = r.f32("weight max");
    long levels = r.u32("weight levels");
    int caps = r.i32("capabilities");
    int maxPayload = r.u16("max payload");
    int maxBatch = r.u16("max batch");
    int slots = r.u8("dataset slots");
    long maxData = r.u32("max dataset bytes");
    int np = r.u8("property count");
    Map<String, String> props = new LinkedHashMap<>();
    for (int i = 0; i < np; i++) props.put(r.str("property key"), r.str("property value"));
    long boot = r.u32("boot count");
    int maxBasis = 0;
    if ((caps & Capability.DIRECTION_GUIDED.bit) != 0) {
      maxBasis = r.u8("max basis");
      if (maxBasis < 1 || maxBasis > GuideMix.MAX_VECTORS) throw new MalformedPayloadException("HELLO max basis must be 1.." + GuideMix.MAX_VECTORS + " with DIRECTION_GUIDED, got " + maxBasis);
    }
    r.end("HELLO reply");
    return new HelloInfo(version, fw, id, model, sizes, wmin, wmax, levels, caps, maxPayload, maxBatch, slots, maxData, props, boot, maxBasis);
  }

  /** Capability names present in {@link #capabilities()}, for people. */
  public List<String> capabilityNames() {
    List<String> out = new ArrayList<>();
    for (Capability c : Capability.values()) if (has(c)) out.add(c.name());
    return out;
  }
}
