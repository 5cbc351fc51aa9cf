package io.noprop.driver;

import static io.noprop.driver.fault.WireFault.CORRUPT_REPLY;
import static io.noprop.driver.fault.WireFault.CORRUPT_REQUEST;
import static io.noprop.driver.fault.WireFault.DROP_REPLY;
import static io.noprop.driver.fault.WireFault.DROP_REQUEST;
import static io.noprop.driver.fault.WireFault.DUPLICATE_FRAME;
import static io.noprop.driver.fault.WireFault.REORDER_FRAMES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.link.InProcessLink;
import io.noprop.driver.link.Link;
import io.noprop.protocol.chip.ChipDispatcher;
import io.noprop.protocol.chip.ChipException;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.ErrorReply;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import io.noprop.protocol.msg.WeightsChunk;
import io.noprop.protocol.prng.PerturbationPrng;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ProtocolClientTest {
  private static final RetryPolicy THREE = new RetryPolicy(Duration.ofMillis(50), 3);
  private static final UpdateRequest UPDATE = new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(17, 0.25f)));

  private static byte[] ping(ProtocolClient c, String text) {
    return c.call(MessageType.PING, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static float[] once(int params) {
    float[] w = new float[params];
    PerturbationPrng.addRademacher(w, 0, params, 17, 0.25f);
    return w;
  }

  private static List<Frame> sentOf(FaultyLink link, MessageType type) {
    return link.sent.stream().filter(f -> f.type() == type.code).toList();
  }

  @Test
  void updateWhoseReplyWasLostIsResentWithTheSameSeqAndAppliedExactlyOnce() {
    FakeChip chip = FakeChip.small();
    FaultyLink link = new FaultyLink(chip).then(DROP_REPLY);
    ProtocolClient client = new ProtocolClient(link, THREE);

    UpdateResult r = UpdateResult.decode(client.call(MessageType.UPDATE, UPDATE.encode()));

    assertEquals(0, r.clippedWeights());
    assertEquals(1, chip.updates, "UPDATE reached the backend once");
    assertArrayEquals(once(chip.weights.length), chip.weights);
    List<Frame> updates = sentOf(link, MessageType.UPDATE);
    assertEquals(2, updates.size());
    assertEquals(updates.get(0), updates.get(1), "the resend is the same frame, same seq");
    assertEquals(1, link.endpoint.dispatcher().counters()[1], "answered from the replay cache");
    assertEquals(1, client.stats().retries());
    assertEquals(1, client.stats().requests());
    assertEquals(1, link.emptyReceives, "the lost reply cost one timeout");
  }

  @Test
  void updateWhoseReplyWasLostTwiceIsStillAppliedOnce() {
    FakeChip chip = FakeChip.small();
    FaultyLink link = new FaultyLink(chip).then(DROP_REPLY, CORRUPT_REPLY);
    new ProtocolClient(link, THREE).call(MessageType.UPDATE, UPDATE.encode());
    assertEquals(1, chip.updates);
    assertArrayEquals(once(chip.weights.length), chip.weights);
    assertEquals(3, link.sent.size());
  }

  @Test
  void lostRequestIsResentAndExecutedOnce() {
    FakeChip chip = FakeChip.small();
    FaultyLink link = new FaultyLink(chip).then(DROP_REQUEST);
    new ProtocolClient(link, THREE).call(MessageType.UPDATE, UPDATE.encode());
    assertEquals(1, chip.updates);
    assertEquals(0, link.endpoint.dispatcher().counters()[1], "nothing to replay: the chip never saw the first send");
  }

  @Test
  void unsolicitedCorruptFrameErrorMakesTheClientResendAndTheUpdateIsAppliedOnce() {
    FakeChip chip = FakeChip.small();
    FaultyLink link = new FaultyLink(chip).then(CORRUPT_REQUEST);
    ProtocolClient client = new ProtocolClient(link, THREE);

    client.call(MessageType.UPDATE, UPDATE.encode());

    assertEquals(1, chip.updates);
    assertEquals(2, link.sent.size());
    assertEquals(1, link.endpoint.parserStats().rejected(), "the chip saw one damaged frame");
    assertEquals(1, client.stats().retries());
    assertEquals(0, client.stats().staleReplies(), "the CORRUPT_FRAME report is not a stale reply");
    assertEquals(0, link.emptyReceives, "resent on the report, without waiting for a timeout");
  }

  @Test
  void lateReplyFromAnEarlierAttemptIsIgnoredAsStale() {
    FakeChip chip = FakeChip.small();
    FaultyLink link = new FaultyLink(chip).then(REORDER_FRAMES);
    ProtocolClient client = new ProtocolClient(link, THREE);

    assertEquals("first", text(ping(client, "first")));
    assertEquals("second", text(ping(client, "second")));

    assertEquals(1, client.stats().staleReplies());
    assertEquals(1, client.stats().retries());
    assertEquals(2, client.stats().requests());
  }

  @Test
  void duplicatedReplyIsIgnoredByTheNextCall() {
    FakeChip chip = FakeChip.small();
    FaultyLink link = new FaultyLink(chip).then(DUPLICATE_FRAME).thenClean();
    ProtocolClient client = new ProtocolClient(link, THREE);
    client.call(MessageType.UPDATE, UPDATE.encode());
    EvalResult r = EvalResult.decode(client.call(MessageType.EVALUATE,
        new EvaluateRequest(0, BatchSelector.range(0, 5), Perturbation.NONE).encode()));
    assertEquals(5, r.count(), "EVALUATE got its own reply, not the duplicate UPDATE reply");
    assertEquals(1, client.stats().staleReplies());
    assertEquals(1, chip.updates);
  }

  @Test
  void noReplyAfterTheConfiguredAttemptsIsATimeoutNamingTheCommand() {
    FakeChip chip = FakeChip.small();
    FaultyLink link = new FaultyLink(chip);
    link.otherwise = DROP_REQUEST;
    ProtocolClient client = new ProtocolClient(link, new RetryPolicy(Duration.ofMillis(20), 4));

    DeviceException e = assertThrows(DeviceException.class, () -> client.call(MessageType.UPDATE, UPDATE.encode()));

    assertEquals(DeviceException.Kind.TIMEOUT, e.kind());
    assertTrue(e.getMessage().contains("UPDATE") && e.getMessage().contains("after 4 attempts") && e.getMessage().contains("fake-chip"), e.getMessage());
    assertEquals(4, link.sent.size());
    assertEquals(1, link.sent.stream().distinct().count(), "every attempt is the same frame");
    assertEquals(0, chip.updates);
  }

  @Test
  void errorFrameBecomesDeviceErrorCarryingTheCodeAndIsNotRetried() {
    FakeChip chip = FakeChip.small();
    chip.evaluateFailure = new ChipException(ErrorCode.NO_DATASET, "no dataset in slot 0; send DATA_DEFINE first");
    FaultyLink link = new FaultyLink(chip);
    ProtocolClient client = new ProtocolClient(link, THREE);

    DeviceException e = assertThrows(DeviceException.class, () -> client.call(MessageType.EVALUATE,
        new EvaluateRequest(0, BatchSelector.range(0, 1), Perturbation.NONE).encode()));

    assertEquals(DeviceException.Kind.DEVICE_ERROR, e.kind());
    assertEquals(ErrorCode.NO_DATASET, e.error().knownCode());
    assertTrue(e.getMessage().contains("EVALUATE") && e.getMessage().contains("NO_DATASET") && e.getMessage().contains("send DATA_DEFINE first"), e.getMessage());
    assertEquals(1, link.sent.size());
    assertEquals(1, chip.evaluates);
  }

  @Test
  void errorCodeUnknownToThisVersionIsReportedByNumber() {
    Link link = new ReplyingLink(req -> Frame.of(MessageType.ERROR.code, req.seq(), new ErrorReply(999, "new failure").encode()));
    DeviceException e = assertThrows(DeviceException.class, () -> ping(new ProtocolClient(link, THREE), "x"));
    assertEquals(DeviceException.Kind.DEVICE_ERROR, e.kind());
    assertEquals(999, e.error().code());
    assertTrue(e.getMessage().contains("error 999: new failure"), e.getMessage());
  }

  @Test
  void replyOfTheWrongTypeIsAProtocolError() {
    Link link = new ReplyingLink(req -> Frame.of(MessageType.UPDATE.replyCode(), req.seq(), new byte[4]));
    DeviceException e = assertThrows(DeviceException.class, () -> ping(new ProtocolClient(link, THREE), "x"));
    assertEquals(DeviceException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().contains("PING") && e.getMessage().contains("0x91") && e.getMessage().contains("0x82"), e.getMessage());
  }

  @Test
  void closedLinkIsLinkDown() {
    InProcessLink link = new InProcessLink(FakeChip.small(), "bench-3");
    ProtocolClient client = new ProtocolClient(link, THREE);
    client.close();
    DeviceException e = assertThrows(DeviceException.class, () -> ping(client, "x"));
    assertEquals(DeviceException.Kind.LINK_DOWN, e.kind());
    assertTrue(e.getMessage().contains("bench-3") && e.getMessage().contains("PING"), e.getMessage());
  }

  @Test
  void sequenceNumbersCountUpAndWrapWithoutUsingTheReservedUnsolicitedSeq() {
    ReplyingLink link = new ReplyingLink(req -> Frame.of(req.type() | MessageType.REPLY_BIT, req.seq(), req.payload()));
    ProtocolClient client = new ProtocolClient(link, THREE);
    int calls = ChipDispatcher.UNSOLICITED_SEQ + 2;
    for (int i = 0; i < calls; i++) ping(client, "");
    assertEquals(0, link.seqs[0]);
    assertEquals(1, link.seqs[1]);
    assertEquals(0xFFFE, link.seqs[0xFFFE]);
    assertEquals(0, link.seqs[0xFFFF], "after 0xFFFE comes 0, never 0xFFFF");
    for (int i = 0; i < calls; i++) assertNotEquals(ChipDispatcher.UNSOLICITED_SEQ, link.seqs[i]);
  }

  /** A link whose far end answers each request with a function of it, for replies a chip would not send. */
  static final class ReplyingLink implements Link {
    private final Function<Frame, Frame> responder;
    private Frame pending;
    final int[] seqs = new int[0x10000 + 16];
    int sends;

    ReplyingLink(Function<Frame, Frame> responder) {
      this.responder = responder;
    }

    @Override
    public void send(Frame frame) {
      if (sends < seqs.length) seqs[sends] = frame.seq();
      sends++;
      pending = responder.apply(frame);
    }

    @Override
    public Frame receive(long timeoutNanos) {
      Frame f = pending;
      pending = null;
      return f;
    }

    @Override
    public long bytesSent() {
      return 0;
    }

    @Override
    public long bytesReceived() {
      return 0;
    }

    @Override
    public String peer() {
      return "scripted";
    }

    @Override
    public void close() {}
  }
}
