package io.noprop.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.fault.WireFault;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.FeatureEncoding;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.PayloadWriter;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.WeightsChunk;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProtocolDeviceTest {
  private static final RetryPolicy RETRY = new RetryPolicy(Duration.ofMillis(50), 3);

  private static ProtocolDevice open(FakeChip chip, FaultyLink link) {
    return new ProtocolDevice("fake:test", link, RETRY);
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  @Test
  void helloFromANewerProtocolVersionIsRefusedClearlyAndTheLinkClosed() {
    FakeChip chip = new FakeChip(2, 100, 1 << 20, 4, 3, 2);
    FaultyLink link = new FaultyLink(chip);
    DeviceException e = assertThrows(DeviceException.class, () -> open(chip, link));
    assertEquals(DeviceException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("protocol version 2 not supported") && e.getMessage().contains("version " + FrameCodec.VERSION), e.getMessage());
    assertTrue(link.closed);
  }

  @Test
  void garbageHelloReplyMeansNotANopropChip() {
    ProtocolClientTest.ReplyingLink link = new ProtocolClientTest.ReplyingLink(
        req -> Frame.of(req.type() | MessageType.REPLY_BIT, req.seq(), "SSH-2.0-OpenSSH_9.6\r\n".getBytes(StandardCharsets.US_ASCII)));
    DeviceException e = assertThrows(DeviceException.class, () -> new ProtocolDevice("serial:/dev/ttyS0", link, RETRY));
    assertEquals(DeviceException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("serial:/dev/ttyS0 is not a noprop chip"), e.getMessage());
  }

  private static DeviceException openWithHello(HelloInfo h) {
    ProtocolClientTest.ReplyingLink link = new ProtocolClientTest.ReplyingLink(req -> Frame.of(req.type() | MessageType.REPLY_BIT, req.seq(), h.encode()));
    return assertThrows(DeviceException.class, () -> new ProtocolDevice("fake:limits", link, RETRY));
  }

  private static HelloInfo hello(int maxPayload, int maxBatch, float wmin, float wmax, int... layers) {
    return new HelloInfo(FrameCodec.VERSION, "fw", "id", "fake", layers, wmin, wmax, 0, 0, maxPayload, maxBatch, 2, 1 << 20, java.util.Map.of());
  }

  @Test
  void helloLimitsThatWouldHangOrOverflowTheControllerAreRefused() {
    // maxPayload 9: a WRITE_WEIGHTS chunk of (9 - 6) / 4 = 0 values, and writeWeights looped forever.
    DeviceException e = openWithHello(hello(9, 64, -1, 1, 4, 2));
    assertTrue(e.getMessage().contains("maxPayload 9"), e.getMessage());
    // maxBatch 0: evaluating a whole slot in batches of 0 rows never ends.
    e = openWithHello(hello(256, 0, -1, 1, 4, 2));
    assertTrue(e.getMessage().contains("maxBatch 0"), e.getMessage());
    // 65535-65535-65535: 8.6e9 parameters, which parameterCount() used to wrap to a negative int.
    e = openWithHello(hello(256, 64, -1, 1, 65535, 65535, 65535));
    assertTrue(e.getMessage().contains("8589803520 parameters"), e.getMessage());
    e = openWithHello(hello(256, 64, 1, Float.NaN, 4, 2));
    assertTrue(e.getMessage().contains("weight range"), e.getMessage());
    assertEquals(DeviceException.Kind.PROTOCOL, e.kind());
  }

  @Test
  void helloSendsOurVersionAndKeepsWhatTheChipSaid() {
    FakeChip chip = FakeChip.small();
    FaultyLink link = new FaultyLink(chip);
    ProtocolDevice d = open(chip, link);
    assertEquals(MessageType.HELLO.code, link.sent.get(0).type());
    assertArrayEquals(new PayloadWriter(1).u8(FrameCodec.VERSION).toByteArray(), link.sent.get(0).payload());
    assertEquals(23, d.info().parameterCount());
    assertEquals("fake:test", d.uri());
    assertEquals(100, d.info().maxPayload());
  }

  @Test
  void uploadDatasetSendsOneDefineThenRowChunksThatFillThePayloadLimit() {
    FakeChip chip = FakeChip.small(); // 100-byte payloads
    FaultyLink link = new FaultyLink(chip);
    ProtocolDevice d = open(chip, link);
    DatasetHeader h = new DatasetHeader(1, 50, 4, 2, FeatureEncoding.U8); // 5-byte rows: (100 - 7) / 5 = 18 per chunk
    byte[] rows = random(50 * 5, 1);

    d.uploadDataset(h, rows);

    assertEquals(List.of(h), chip.defines);
    assertEquals(List.of(0, 18, 36), chip.rowWrites.stream().map(DataRows::firstRow).toList());
    assertEquals(List.of(18, 18, 14), chip.rowWrites.stream().map(DataRows::rowCount).toList());
    assertTrue(chip.rowWrites.stream().allMatch(r -> r.slot() == 1));
    assertArrayEquals(rows, chip.rowBytes.toByteArray());
    for (Frame f : link.sent) assertTrue(f.payload().length <= 100, "payload of " + f.payload().length);
    assertEquals(18 * 5 + DataRows.HEADER_BYTES, link.sent.get(2).payload().length, "a full chunk uses the payload as far as whole rows go");
  }

  @Test
  void uploadDatasetOfF32RowsChunksByTheirLargerRowSize() {
    FakeChip chip = FakeChip.small();
    ProtocolDevice d = open(chip, new FaultyLink(chip));
    DatasetHeader h = new DatasetHeader(0, 12, 4, 2, FeatureEncoding.F32); // 17-byte rows: 5 per chunk
    byte[] rows = random(12 * 17, 2);
    d.uploadDataset(h, rows);
    assertEquals(List.of(5, 5, 2), chip.rowWrites.stream().map(DataRows::rowCount).toList());
    assertArrayEquals(rows, chip.rowBytes.toByteArray());
  }

  @Test
  void rowTooLargeForOnePayloadFailsBeforeTheSlotIsDeclared() {
    FakeChip chip = new FakeChip(FrameCodec.VERSION, 100, 1 << 20, 30, 3, 2);
    FaultyLink link = new FaultyLink(chip);
    ProtocolDevice d = open(chip, link);
    DatasetHeader h = new DatasetHeader(0, 2, 30, 2, FeatureEncoding.F32); // 121-byte rows
    DeviceException e = assertThrows(DeviceException.class, () -> d.uploadDataset(h, new byte[2 * 121]));
    assertTrue(e.getMessage().contains("121 bytes") && e.getMessage().contains("100-byte payload"), e.getMessage());
    assertEquals(List.of(), chip.defines, "a doomed upload must not replace the slot's dataset");
    assertEquals(1, link.sent.size(), "only HELLO went out");
  }

  @Test
  void datasetLargerThanTheDeviceMemoryIsRefusedWithoutTraffic() {
    FakeChip chip = new FakeChip(FrameCodec.VERSION, 100, 1000, 4, 3, 2);
    FaultyLink link = new FaultyLink(chip);
    ProtocolDevice d = open(chip, link);
    DeviceException e = assertThrows(DeviceException.class,
        () -> d.uploadDataset(new DatasetHeader(0, 201, 4, 2, FeatureEncoding.U8), new byte[201 * 5]));
    assertTrue(e.getMessage().contains("1005 bytes") && e.getMessage().contains("1000 bytes"), e.getMessage());
    assertEquals(1, link.sent.size());
  }

  @Test
  void uploadWithTheWrongNumberOfBytesIsAnArgumentError() {
    FakeChip chip = FakeChip.small();
    ProtocolDevice d = open(chip, new FaultyLink(chip));
    assertThrows(IllegalArgumentException.class, () -> d.uploadDataset(new DatasetHeader(0, 3, 4, 2, FeatureEncoding.U8), new byte[14]));
  }

  @Test
  void weightsRoundTripInChunksOfThePayloadLimit() {
    FakeChip chip = new FakeChip(FrameCodec.VERSION, 100, 1 << 20, 8, 6, 3); // 75 parameters, 23 per 100-byte chunk
    FaultyLink link = new FaultyLink(chip);
    ProtocolDevice d = open(chip, link);
    float[] w = new float[75];
    SplittableRandom r = new SplittableRandom(4);
    for (int i = 0; i < w.length; i++) w[i] = (float) r.nextDouble(-1, 1);

    d.writeWeights(w);
    float[] back = d.readWeights(ReadWeightsRequest.Source.TARGET);

    assertArrayEquals(w, back);
    assertArrayEquals(w, chip.weights);
    assertEquals(WeightsChunk.capacity(100), 23);
    assertEquals(List.of(0, 23, 46, 69), chip.weightWrites.stream().map(WeightsChunk::offset).toList());
    assertEquals(List.of(23, 23, 23, 6), chip.weightWrites.stream().map(c -> c.values().length).toList());
    assertEquals(List.of(23, 23, 23, 6), chip.weightReads.stream().map(ReadWeightsRequest::count).toList());
    assertTrue(chip.weightReads.stream().allMatch(q -> q.source() == ReadWeightsRequest.Source.TARGET));
    for (Frame f : link.sent) assertTrue(f.payload().length <= 100);
  }

  @Test
  void writeWeightsOfTheWrongLengthIsRefusedBeforeSending() {
    FakeChip chip = FakeChip.small();
    FaultyLink link = new FaultyLink(chip);
    ProtocolDevice d = open(chip, link);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.writeWeights(new float[22]));
    assertTrue(e.getMessage().contains("23 parameters") && e.getMessage().contains("22"), e.getMessage());
    assertEquals(1, link.sent.size());
  }

  @Test
  void aPayloadAboveTheDeviceLimitIsRefusedLocallyNotTimedOut() {
    FakeChip chip = new FakeChip(FrameCodec.VERSION, 100, 1 << 20, 4, 3, 2);
    FaultyLink link = new FaultyLink(chip);
    ProtocolDevice d = open(chip, link);
    long sent = link.bytesSent();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.ping(new byte[101]));
    assertTrue(e.getMessage().contains("101 bytes exceeds the 100 bytes"), e.getMessage());
    assertEquals(sent, link.bytesSent(), "nothing may go on the wire");
  }

  @Test
  void wireStatsCountTheFramedBytesBothWays() {
    FakeChip chip = FakeChip.small();
    FaultyLink link = new FaultyLink(chip);
    ProtocolDevice d = open(chip, link);
    WireStats afterHello = d.wireStats();
    assertEquals(FrameCodec.toWire(link.sent.get(0)).length, afterHello.bytesSent());
    assertEquals(FrameCodec.toWire(Frame.of(MessageType.HELLO.replyCode(), 0, chip.hello.encode())).length, afterHello.bytesReceived());
    assertEquals(1, afterHello.requests());

    byte[] payload = "0123456789".getBytes(StandardCharsets.US_ASCII);
    d.ping(payload);
    WireStats ping = d.wireStats().minus(afterHello);
    assertEquals(FrameCodec.toWire(Frame.of(MessageType.PING.code, 1, payload)).length, ping.bytesSent());
    assertEquals(FrameCodec.toWire(Frame.of(MessageType.PING.replyCode(), 1, payload)).length, ping.bytesReceived());
    assertEquals(new WireStats(ping.bytesSent(), ping.bytesReceived(), 1, 0, 0), ping);
    // 10 payload + 10 header/CRC + 1 COBS + 1 delimiter.
    assertEquals(22, ping.bytesSent());
  }

  @Test
  void wireStatsCountRetriesAndTheirBytes() {
    FakeChip chip = FakeChip.small();
    FaultyLink link = new FaultyLink(chip);
    ProtocolDevice d = open(chip, link);
    WireStats before = d.wireStats();
    link.then(WireFault.DROP_REPLY);
    d.reset();
    WireStats delta = d.wireStats().minus(before);
    assertEquals(1, chip.resets, "RESET applied once");
    assertEquals(1, delta.retries());
    assertEquals(2L * FrameCodec.toWire(Frame.of(MessageType.RESET.code, 1, new byte[0])).length, delta.bytesSent());
  }

  @Test
  void pingEchoThatDiffersIsAProtocolError() {
    ProtocolClientTest.ReplyingLink link = new ProtocolClientTest.ReplyingLink(req -> req.type() == MessageType.HELLO.code
        ? Frame.of(MessageType.HELLO.replyCode(), req.seq(), FakeChip.small().hello.encode())
        : Frame.of(req.type() | MessageType.REPLY_BIT, req.seq(), new byte[] {1, 2}));
    ProtocolDevice d = new ProtocolDevice("fake:echo", link, RETRY);
    DeviceException e = assertThrows(DeviceException.class, () -> d.ping(new byte[] {1, 2, 3}));
    assertEquals(DeviceException.Kind.PROTOCOL, e.kind());
  }
}
