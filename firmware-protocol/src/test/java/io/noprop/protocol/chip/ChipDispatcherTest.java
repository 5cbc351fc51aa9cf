package io.noprop.protocol.chip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.msg.BasisChunk;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.ErrorReply;
import io.noprop.protocol.msg.GuideMix;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import io.noprop.protocol.msg.WeightsChunk;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChipDispatcherTest {
  private final RecordingBackend backend = new RecordingBackend();
  private final ChipDispatcher dispatcher = new ChipDispatcher(backend);

  private static Frame update(int seq, int seed, float c) {
    return Frame.of(MessageType.UPDATE.code, seq, new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(seed, c))).encode());
  }

  private static Frame write(int seq, float... values) {
    return Frame.of(MessageType.WRITE_WEIGHTS.code, seq, new WeightsChunk(0, values).encode());
  }

  private static final Frame HELLO = Frame.of(MessageType.HELLO.code, 0, new byte[] {1});

  private static ErrorReply error(Frame reply) {
    assertEquals(MessageType.ERROR.code, reply.type(), "expected an ERROR reply, got " + reply);
    return ErrorReply.decode(reply.payload());
  }

  @Test
  void helloRepliesWithTheBackendDescription() {
    Frame reply = dispatcher.dispatch(HELLO);
    assertEquals(0x81, reply.type());
    assertEquals(0, reply.seq());
    HelloInfo h = HelloInfo.decode(reply.payload());
    assertEquals("fake-0001", h.deviceId());
    assertEquals(RecordingBackend.MAX_PAYLOAD, dispatcher.maxPayload());
  }

  @Test
  void aChipWithoutDirectionGuidedRefusesGuidedRequestsAsUnknownAndBasisWritesAsNotSupported() {
    GuideMix mix = GuideMix.of(1, 0.5);
    byte[] eval = new EvaluateRequest(0, BatchSelector.range(0, 1), Perturbation.guided(3, mix, 1, 0.01f)).encode();
    byte[] update = UpdateRequest.of(List.of(new SeedTerm(3, 0.1f, DirectionMask.WHOLE, mix))).encode();
    assertEquals(ErrorCode.MALFORMED_PAYLOAD.code, error(dispatcher.dispatch(Frame.of(MessageType.EVALUATE.code, 1, eval))).code());
    assertEquals(ErrorCode.MALFORMED_PAYLOAD.code, error(dispatcher.dispatch(Frame.of(MessageType.UPDATE.code, 2, update))).code());
    byte[] basis = new BasisChunk(0, 0, new float[] {1f}).encode();
    assertEquals(ErrorCode.NOT_SUPPORTED.code, error(dispatcher.dispatch(Frame.of(MessageType.BASIS_WRITE.code, 3, basis))).code());
    assertTrue(backend.calls.isEmpty(), "nothing reached the backend: " + backend.calls);
  }

  @Test
  void statsIsNotSupportedByABackendWithoutCounters() {
    ErrorReply e = error(dispatcher.dispatch(Frame.of(MessageType.STATS.code, 5, new byte[0])));
    assertEquals(ErrorCode.NOT_SUPPORTED.code, e.code());
    assertEquals(ErrorCode.MALFORMED_PAYLOAD.code, error(dispatcher.dispatch(Frame.of(MessageType.STATS.code, 6, new byte[] {0}))).code());
  }

  @Test
  void statsRepliesWithTheBackendCounters() {
    io.noprop.protocol.msg.ChipStats want = new io.noprop.protocol.msg.ChipStats(0.5, 1e-3, 1, 2, 3, 4, 5);
    ChipDispatcher d = new ChipDispatcher(new RecordingBackend() {
      @Override
      public io.noprop.protocol.msg.ChipStats stats() {
        return want;
      }
    });
    Frame reply = d.dispatch(Frame.of(MessageType.STATS.code, 9, new byte[0]));
    assertEquals(0x94, reply.type());
    assertEquals(want, io.noprop.protocol.msg.ChipStats.decode(reply.payload()));
  }

  @Test
  void pingEchoesItsPayloadWithTheRequestSeq() {
    Frame reply = dispatcher.dispatch(Frame.of(MessageType.PING.code, 77, new byte[] {0, 1, 2}));
    assertEquals(Frame.of(0x82, 77, new byte[] {0, 1, 2}), reply);
  }

  @Test
  void replyTypeIsRequestTypeWithBitSeven() {
    Frame reply = dispatcher.dispatch(Frame.of(MessageType.READ_WEIGHTS.code, 3,
        new ReadWeightsRequest(0, 2, ReadWeightsRequest.Source.TARGET).encode()));
    assertEquals(0x93, reply.type());
    assertEquals(3, reply.seq());
    assertEquals(2, WeightsChunk.decode(reply.payload()).values().length);
  }

  @Test
  void retriedUpdateIsAppliedOnceAndGetsTheIdenticalReply() {
    dispatcher.dispatch(write(1, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f));
    Frame first = dispatcher.dispatch(update(2, 42, 0.25f));
    float[] after = backend.weights.clone();
    Frame retry = dispatcher.dispatch(update(2, 42, 0.25f));
    assertEquals(first, retry);
    assertArrayEquals(after, backend.weights, "weights moved on the retry");
    assertEquals(2, backend.calls.size(), "WRITE then one UPDATE");
    assertEquals(1, dispatcher.counters()[1], "one reply replayed");
  }

  @Test
  void retriedWriteIsAppliedOnce() {
    dispatcher.dispatch(write(4, 0.1f));
    dispatcher.dispatch(write(4, 0.1f));
    dispatcher.dispatch(write(4, 0.1f));
    assertEquals(1, backend.calls.size());
  }

  @Test
  void retriedResetIsAppliedOnce() {
    Frame reset = Frame.of(MessageType.RESET.code, 9, new byte[0]);
    assertEquals(dispatcher.dispatch(reset), dispatcher.dispatch(reset));
    assertEquals(1, backend.calls.size());
  }

  @Test
  void sameSeqWithDifferentPayloadIsRefusedAsSequenceReused() {
    dispatcher.dispatch(update(5, 1, 0.1f));
    float[] after = backend.weights.clone();
    Frame reply = dispatcher.dispatch(update(5, 1, 0.2f));
    assertEquals(5, reply.seq());
    assertEquals(ErrorCode.SEQUENCE_REUSED, error(reply).knownCode());
    assertArrayEquals(after, backend.weights);
    assertEquals(1, backend.calls.size());
  }

  @Test
  void sameSeqWithDifferentTypeIsRefusedAsSequenceReused() {
    Frame ping = Frame.of(MessageType.PING.code, 5, new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(1, 0.1f))).encode());
    dispatcher.dispatch(ping);
    assertEquals(ErrorCode.SEQUENCE_REUSED, error(dispatcher.dispatch(update(5, 1, 0.1f))).knownCode());
    assertTrue(backend.calls.isEmpty());
  }

  @Test
  void newSeqExecutesTheSameCommandAgain() {
    dispatcher.dispatch(update(6, 1, 0.1f));
    dispatcher.dispatch(update(7, 1, 0.1f));
    assertEquals(2, backend.calls.size());
  }

  /** A controller that died after UPDATE seq 0 is replaced by one that opens with HELLO seq 0. */
  @Test
  void helloClearsTheReplayCacheSoANewSessionMayReuseTheLastSeq() {
    dispatcher.dispatch(update(0, 1, 0.1f));
    Frame hello = dispatcher.dispatch(HELLO);
    assertEquals(0x81, hello.type(), "not SEQUENCE_REUSED: HELLO opens a new session");
    assertEquals(0x91, dispatcher.dispatch(update(1, 1, 0.1f)).type());
    assertEquals(2, backend.calls.size());
  }

  /** The cache is one reply deep: the controller has one request in flight, so only the last can be retried. */
  @Test
  void onlyTheLastReplyIsCached() {
    dispatcher.dispatch(update(1, 1, 0.1f));
    dispatcher.dispatch(Frame.of(MessageType.PING.code, 2, new byte[0]));
    dispatcher.dispatch(update(1, 1, 0.1f));
    assertEquals(2, backend.calls.size());
  }

  /** An error is an answer too: a retry gets it again; to try again the controller uses a new seq. */
  @Test
  void errorRepliesAreReplayedLikeAnyOther() {
    backend.failNext = new ChipException(ErrorCode.BUSY, "programming");
    Frame first = dispatcher.dispatch(update(3, 1, 0.1f));
    assertEquals(first, dispatcher.dispatch(update(3, 1, 0.1f)));
    assertEquals(ErrorCode.BUSY, error(first).knownCode());
    assertEquals(1, backend.calls.size());
    assertEquals(0x91, dispatcher.dispatch(update(4, 1, 0.1f)).type());
  }

  @Test
  void unknownTypeIsAnsweredUnknownTypeWithTheRequestSeq() {
    for (int type : new int[] {0x04, 0x91, 0xFF}) {
      Frame reply = dispatcher.dispatch(Frame.of(type, 100 + type, new byte[0]));
      assertEquals(100 + type, reply.seq());
      assertEquals(ErrorCode.UNKNOWN_TYPE, error(reply).knownCode(), String.format("type 0x%02x", type));
    }
    assertTrue(backend.calls.isEmpty());
  }

  @Test
  void unsupportedVersionIsRefusedWithoutExecuting() {
    Frame v2 = new Frame(2, MessageType.UPDATE.code, 8, update(8, 1, 0.1f).payload());
    ErrorReply e = error(dispatcher.dispatch(v2));
    assertEquals(ErrorCode.UNSUPPORTED_VERSION, e.knownCode());
    assertTrue(e.message().contains("version 2"), e.message());
    assertTrue(backend.calls.isEmpty());
  }

  @Test
  void payloadLargerThanTheDeviceLimitIsRefusedWithoutExecuting() {
    Frame big = Frame.of(MessageType.WRITE_WEIGHTS.code, 1, new byte[RecordingBackend.MAX_PAYLOAD + 1]);
    assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, error(dispatcher.dispatch(big)).knownCode());
    assertTrue(backend.calls.isEmpty());
  }

  @Test
  void malformedPayloadsAreRefusedWithoutExecuting() {
    byte[] nan = update(1, 1, 0.1f).payload();
    nan[8] = (byte) 0xc0;
    nan[9] = (byte) 0x7f; // coefficient (bytes 6..9, little-endian) becomes 7fc0xxxx: a NaN
    assertEquals(ErrorCode.MALFORMED_PAYLOAD, error(dispatcher.dispatch(Frame.of(MessageType.UPDATE.code, 1, nan))).knownCode());
    assertEquals(ErrorCode.MALFORMED_PAYLOAD, error(dispatcher.dispatch(Frame.of(MessageType.RESET.code, 2, new byte[1]))).knownCode());
    byte[] trailing = java.util.Arrays.copyOf(new EvaluateRequest(0, BatchSelector.range(0, 1), Perturbation.NONE).encode(), EvaluateRequest.BYTES + 1);
    assertEquals(ErrorCode.MALFORMED_PAYLOAD, error(dispatcher.dispatch(Frame.of(MessageType.EVALUATE.code, 3, trailing))).knownCode());
    assertTrue(backend.calls.isEmpty());
  }

  @Test
  void chipExceptionBecomesAnErrorWithItsCodeAndMessage() {
    ErrorReply e = error(dispatcher.dispatch(write(1, new float[20])));
    assertEquals(ErrorCode.OUT_OF_RANGE, e.knownCode());
    assertEquals("weights past the end", e.message());
  }

  @Test
  void runtimeExceptionBecomesInternal() {
    backend.failNext = new IllegalStateException("ADC stuck");
    ErrorReply e = error(dispatcher.dispatch(Frame.of(MessageType.EVALUATE.code, 1,
        new EvaluateRequest(0, BatchSelector.range(0, 1), Perturbation.NONE).encode())));
    assertEquals(ErrorCode.INTERNAL, e.knownCode());
    assertTrue(e.message().contains("ADC stuck"), e.message());
  }

  /** Regression: a long non-ASCII backend message used to make the dispatcher itself throw. */
  @Test
  void errorWithALongNonAsciiMessageIsStillSent() {
    backend.failNext = new ChipException(ErrorCode.OUT_OF_RANGE, "Gewicht außerhalb des Bereichs ≥ ".repeat(10));
    ErrorReply e = error(dispatcher.dispatch(update(1, 1, 0.1f)));
    assertEquals(ErrorCode.OUT_OF_RANGE, e.knownCode());
    assertTrue(e.message().startsWith("Gewicht außerhalb"));
  }

  @Test
  void chipExceptionWithoutMessageIsSentWithAnEmptyMessage() {
    backend.failNext = new ChipException(ErrorCode.BUSY, null);
    assertEquals("", error(dispatcher.dispatch(update(1, 1, 0.1f))).message());
  }

  @Test
  void chipExceptionWithoutCodeBecomesInternal() {
    RecordingBackend b = new RecordingBackend() {
      @Override
      public UpdateResult update(UpdateRequest request) {
        throw new ChipException(null, "no code");
      }
    };
    assertEquals(ErrorCode.INTERNAL, error(new ChipDispatcher(b).dispatch(update(1, 1, 0.1f))).knownCode());
  }

  @Test
  void countsRequestsReplaysAndErrors() {
    dispatcher.dispatch(HELLO);
    dispatcher.dispatch(update(1, 1, 0.1f));
    dispatcher.dispatch(update(1, 1, 0.1f));
    dispatcher.dispatch(Frame.of(0x04, 2, new byte[0]));
    assertArrayEquals(new long[] {4, 1, 1}, dispatcher.counters());
  }

  @Test
  void updateReplyCarriesTheClipCount() {
    dispatcher.dispatch(write(1, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f));
    Frame reply = dispatcher.dispatch(update(2, 3, 0.5f));
    long clipped = UpdateResult.decode(reply.payload()).clippedWeights();
    long up = 0;
    for (int n = 0; n < 8; n++) if (io.noprop.protocol.prng.PerturbationPrng.rademacher(3, n) > 0) up++;
    assertEquals(up, clipped);
    assertNotEquals(0, up, "seed 3 should push some weight over the bound");
  }

  @Test
  void repliesAreValidFrames() {
    Frame reply = dispatcher.dispatch(HELLO);
    assertEquals(reply, FrameCodec.decode(FrameCodec.encode(reply)));
  }

  @Test
  void aReplyLargerThanMaxPayloadIsNeverSent() {
    // A backend that answers READ_WEIGHTS with more than the device announced it sends.
    ChipBackend big = new ForwardingChipBackend(backend) {
      @Override
      public io.noprop.protocol.msg.WeightsChunk readWeights(io.noprop.protocol.msg.ReadWeightsRequest request) {
        return new io.noprop.protocol.msg.WeightsChunk(0, new float[RecordingBackend.MAX_PAYLOAD]);
      }
    };
    Frame reply = new ChipDispatcher(big).dispatch(Frame.of(MessageType.READ_WEIGHTS.code, 3,
        new io.noprop.protocol.msg.ReadWeightsRequest(0, 1, io.noprop.protocol.msg.ReadWeightsRequest.Source.TARGET).encode()));
    assertEquals(MessageType.ERROR.code, reply.type());
    assertEquals(ErrorCode.PAYLOAD_TOO_LARGE, error(reply).knownCode());
    assertEquals(3, reply.seq());
  }

  @Test
  void aRequestWithTheReservedSeqIsRefusedWithSeqFfffAndNotExecuted() {
    Frame reply = dispatcher.dispatch(update(0xFFFF, 7, 0.5f));
    assertEquals(0xFFFF, reply.seq());
    assertEquals(ErrorCode.RESERVED_SEQ, error(reply).knownCode());
    assertTrue(backend.calls.isEmpty(), "nothing reaches the backend: " + backend.calls);
  }

  @Test
  void aReservedSeqHelloDoesNotOpenASessionNorClearTheReplayCache() {
    Frame first = dispatcher.dispatch(update(4, 7, 0.5f));
    assertEquals(ErrorCode.RESERVED_SEQ, error(dispatcher.dispatch(Frame.of(MessageType.HELLO.code, 0xFFFF, new byte[] {1}))).knownCode());
    assertArrayEquals(FrameCodec.encode(first), FrameCodec.encode(dispatcher.dispatch(update(4, 7, 0.5f))), "the resend is still a replay");
    assertEquals(1, backend.calls.size());
  }
}
