package io.noprop.driver;

import io.noprop.driver.link.Link;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.msg.BasisChunk;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.ChipStats;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.MalformedPayloadException;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.PayloadWriter;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import io.noprop.protocol.msg.WeightsChunk;
import java.util.Arrays;
import java.util.Optional;

/** {@link Device} over the firmware protocol, on any {@link Link}. */
public final class ProtocolDevice implements Device {
  private final String uri;
  private final ProtocolClient client;
  private final HelloInfo info;
  private long bootCount;
  private long reboots;
  private boolean rebootPending;

  /** Opens the session: HELLO, then checks the device speaks our protocol version. */
  public ProtocolDevice(String uri, Link link, RetryPolicy retry) {
    this.uri = uri;
    this.client = new ProtocolClient(link, retry);
    HelloInfo hello;
    try {
      hello = HelloInfo.decode(client.hello(helloPayload()));
    } catch (MalformedPayloadException e) {
      client.close();
      throw new DeviceException(DeviceException.Kind.PROTOCOL, uri + " is not a noprop chip: its HELLO reply is unreadable (" + e.getMessage() + ")");
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
    if (hello.protocolVersion() != FrameCodec.VERSION) {
      client.close();
      throw new DeviceException(DeviceException.Kind.PROTOCOL, "protocol version " + hello.protocolVersion()
          + " not supported: " + uri + " must speak version " + FrameCodec.VERSION + "; update the firmware or noprop");
    }
    String bad = unusableLimit(hello);
    if (bad != null) {
      client.close();
      throw new DeviceException(DeviceException.Kind.PROTOCOL, uri + " announces " + bad + "; this is a firmware bug, noprop cannot drive it");
    }
    this.info = hello;
    this.bootCount = hello.bootCount();
    client.onReconnect(this::checkSameDevice);
  }

  /** Smallest maxPayload a chip may announce: every fixed-size request (EVALUATE is the largest) must fit. */
  public static final int MIN_MAX_PAYLOAD = EvaluateRequest.BYTES;
  /** Most parameters the controller holds (a Java array of floats). */
  public static final long MAX_PARAMETERS = Integer.MAX_VALUE - 8;

  /**
   * The HELLO limits the controller sizes everything from, checked once: a chip that announced
   * a maxPayload too small for one weight per chunk or a maxBatch of 0 would make chunked loops
   * spin forever, and layers whose parameter count overflows an int would size arrays wrongly.
   *
   * @return what is wrong, or null
   */
  static String unusableLimit(HelloInfo h) {
    if (h.maxPayload() < MIN_MAX_PAYLOAD) return "maxPayload " + h.maxPayload() + ", below the " + MIN_MAX_PAYLOAD + " bytes of an EVALUATE request";
    if (h.maxBatch() < 1) return "maxBatch " + h.maxBatch() + "; at least 1 sample per EVALUATE is needed";
    long params = HelloInfo.parameterCount(h.layerSizes());
    if (params > MAX_PARAMETERS) return "layers " + Arrays.toString(h.layerSizes()) + " with " + params + " parameters, over the " + MAX_PARAMETERS + " noprop can hold";
    if (!(Float.isFinite(h.weightMin()) && Float.isFinite(h.weightMax()) && h.weightMin() < h.weightMax())) {
      return "weight range [" + h.weightMin() + ", " + h.weightMax() + "]; it must be finite and non-empty";
    }
    return null;
  }

  private static byte[] helloPayload() {
    return new PayloadWriter(1).u8(FrameCodec.VERSION).toByteArray();
  }

  /**
   * After the link came back: a new session (HELLO), then the chip must be the one we trained
   * on. Runs only after the pending request was answered with its original seq, because HELLO
   * clears the chip's replay cache. A chip that answers with a new boot count rebooted (power
   * cycle, watchdog): its weights and datasets are gone. That is not an error here; it is noted
   * for {@link #takeReboot()}, which {@link ResilientDevice} asks after every call.
   */
  private void checkSameDevice() {
    helloAgain("after reconnecting");
  }

  /**
   * Opens a new session now (HELLO) and checks that the same chip answers; notes a reboot when
   * its boot count changed. Call it only between requests (HELLO clears the replay cache).
   * Returns what the chip said.
   */
  public HelloInfo helloAgain() {
    return helloAgain("on a new session");
  }

  private HelloInfo helloAgain(String when) {
    HelloInfo now;
    try {
      now = HelloInfo.decode(client.hello(helloPayload()));
    } catch (MalformedPayloadException e) {
      throw new DeviceException(DeviceException.Kind.PROTOCOL, when + ", " + uri + " is not a noprop chip: its HELLO reply is unreadable (" + e.getMessage() + ")");
    }
    if (now.protocolVersion() != info.protocolVersion() || !now.deviceId().equals(info.deviceId())
        || !Arrays.equals(now.layerSizes(), info.layerSizes())) {
      throw new DeviceException(DeviceException.Kind.PROTOCOL, String.format(
          "%s, %s answers as device '%s' (layers %s, protocol %d) instead of '%s' (layers %s, protocol %d): "
              + "another chip is on the line; plug the original one back and continue with --resume",
          when, uri, now.deviceId(), Arrays.toString(now.layerSizes()), now.protocolVersion(), info.deviceId(), Arrays.toString(info.layerSizes()), info.protocolVersion()));
    }
    if (now.bootCount() != bootCount) {
      bootCount = now.bootCount();
      reboots++;
      rebootPending = true;
    }
    return now;
  }

  /**
   * True once after a HELLO (the identity check after a reconnect, or {@link #helloAgain()})
   * showed a boot count other than the one before: the chip rebooted and holds no weights,
   * datasets or replay cache any more. Chips that do not track boots (count 0) never report one.
   */
  @Override
  public boolean takeReboot() {
    boolean r = rebootPending;
    rebootPending = false;
    return r;
  }

  /** Reboots seen during this session (HELLOs with a changed boot count). */
  public long reboots() {
    return reboots;
  }

  /** Times the link went down and came back during this session. */
  public long reconnects() {
    return client.reconnects();
  }

  /**
   * One exchange, refusing locally a payload the device said it cannot take: sent anyway, it
   * would be dropped as oversize and surface as a misleading timeout.
   */
  private byte[] call(MessageType type, byte[] payload) {
    if (payload.length > info.maxPayload()) {
      throw new IllegalArgumentException(type + " payload of " + payload.length + " bytes exceeds the " + info.maxPayload() + " bytes " + uri + " accepts");
    }
    return client.call(type, payload);
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public HelloInfo info() {
    return info;
  }

  @Override
  public long ping(byte[] payload) {
    long t0 = System.nanoTime();
    byte[] echo = call(MessageType.PING, payload);
    long dt = System.nanoTime() - t0;
    if (!Arrays.equals(echo, payload)) {
      throw new DeviceException(DeviceException.Kind.PROTOCOL, uri + " echoed " + echo.length + " bytes that differ from the " + payload.length + " sent");
    }
    return dt;
  }

  @Override
  public void reset() {
    call(MessageType.RESET, new byte[0]);
  }

  @Override
  public void uploadDataset(DatasetHeader header, byte[] packedRows) {
    if (packedRows.length != header.totalBytes()) {
      throw new IllegalArgumentException("dataset of " + header.rows() + " rows needs " + header.totalBytes() + " bytes, got " + packedRows.length);
    }
    if (header.totalBytes() > info.maxDatasetBytes()) {
      throw new DeviceException(DeviceException.Kind.DEVICE_ERROR, String.format(
          "dataset of %d rows (%d bytes) exceeds the %d bytes %s can store; upload fewer rows", header.rows(), header.totalBytes(), info.maxDatasetBytes(), uri));
    }
    int rowBytes = header.rowBytes();
    if (rowBytes + DataRows.HEADER_BYTES > info.maxPayload()) {
      // Checked before DATA_DEFINE: declaring the slot would drop the dataset it holds.
      throw new DeviceException(DeviceException.Kind.DEVICE_ERROR, "one row of " + rowBytes + " bytes does not fit the device's " + info.maxPayload() + "-byte payload");
    }
    int perChunk = Math.min(0xFFFF, (info.maxPayload() - DataRows.HEADER_BYTES) / rowBytes);
    call(MessageType.DATA_DEFINE, header.encode());
    for (int first = 0; first < header.rows(); first += perChunk) {
      int n = Math.min(perChunk, header.rows() - first);
      byte[] chunk = Arrays.copyOfRange(packedRows, first * rowBytes, (first + n) * rowBytes);
      call(MessageType.DATA_WRITE, new DataRows(header.slot(), first, n, chunk).encode());
    }
  }

  @Override
  public EvalResult evaluate(EvaluateRequest request) {
    return EvalResult.decode(call(MessageType.EVALUATE, request.encode()));
  }

  @Override
  public UpdateResult update(UpdateRequest request) {
    return UpdateResult.decode(call(MessageType.UPDATE, request.encode()));
  }

  @Override
  public void writeWeights(float[] weights) {
    if (weights.length != info.parameterCount()) {
      throw new IllegalArgumentException(uri + " holds " + info.parameterCount() + " parameters, got " + weights.length);
    }
    int per = WeightsChunk.capacity(info.maxPayload());
    for (int off = 0; off < weights.length; off += per) {
      float[] part = Arrays.copyOfRange(weights, off, Math.min(weights.length, off + per));
      call(MessageType.WRITE_WEIGHTS, new WeightsChunk(off, part).encode());
    }
  }

  @Override
  public void writeBasis(int index, float[] vector) {
    if (vector.length != info.parameterCount()) {
      throw new IllegalArgumentException(uri + " holds " + info.parameterCount() + " parameters, got a basis vector of " + vector.length);
    }
    int per = BasisChunk.capacity(info.maxPayload());
    for (int off = 0; off < vector.length; off += per) {
      float[] part = Arrays.copyOfRange(vector, off, Math.min(vector.length, off + per));
      call(MessageType.BASIS_WRITE, new BasisChunk(index, off, part).encode());
    }
  }

  @Override
  public float[] readWeights(ReadWeightsRequest.Source source) {
    float[] out = new float[info.parameterCount()];
    int per = WeightsChunk.capacity(info.maxPayload());
    for (int off = 0; off < out.length; off += per) {
      int n = Math.min(per, out.length - off);
      WeightsChunk c = WeightsChunk.decode(call(MessageType.READ_WEIGHTS, new ReadWeightsRequest(off, n, source).encode()));
      if (c.offset() != off || c.values().length != n) {
        throw new DeviceException(DeviceException.Kind.PROTOCOL, uri + " answered READ_WEIGHTS(" + off + ", " + n + ") with (" + c.offset() + ", " + c.values().length + ")");
      }
      System.arraycopy(c.values(), 0, out, off, n);
    }
    return out;
  }

  /** STATS when HELLO announced the capability; empty otherwise (nothing is sent). */
  @Override
  public Optional<ChipStats> chipStats() {
    if (!info.has(Capability.STATS)) return Optional.empty();
    byte[] reply = call(MessageType.STATS, new byte[0]);
    try {
      return Optional.of(ChipStats.decode(reply));
    } catch (MalformedPayloadException e) {
      throw new DeviceException(DeviceException.Kind.PROTOCOL, uri + " sent an unreadable STATS reply: " + e.getMessage());
    }
  }

  @Override
  public WireStats wireStats() {
    return client.stats();
  }

  @Override
  public int baud() {
    return client.link().baud();
  }

  @Override
  public void close() {
    client.close();
  }
}
