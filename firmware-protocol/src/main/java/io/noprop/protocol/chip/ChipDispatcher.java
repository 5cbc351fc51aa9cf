package io.noprop.protocol.chip;

import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.msg.BasisChunk;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.ErrorReply;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.MalformedPayloadException;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.PayloadReader;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.WeightsChunk;

/**
 * Request frame in, reply frame out: decodes the payload, calls the backend, encodes the answer.
 * No I/O here.
 *
 * <p>At-most-once: the last reply is kept with the sequence number and CRC of its request. The
 * same request again (a retry after a lost reply) gets that reply without a second call to the
 * backend; the same sequence number with different content is refused with SEQUENCE_REUSED.
 * HELLO opens a new session and forgets the cache. A request with the reserved seq 0xFFFF is
 * refused with RESERVED_SEQ (seq 0xFFFF), not executed and not cached.
 */
public final class ChipDispatcher {
  /** Sequence number of unsolicited ERROR frames (for frames too corrupt to have a trusted seq). */
  public static final int UNSOLICITED_SEQ = 0xFFFF;

  private final ChipBackend backend;
  private final int maxPayload;
  private boolean hasLast;
  private int lastSeq;
  private int lastType;
  private int lastCrc;
  private Frame lastReply;
  private long requests;
  private long replays;
  private long errors;

  public ChipDispatcher(ChipBackend backend) {
    this.backend = backend;
    this.maxPayload = backend.hello().maxPayload();
  }

  public ChipBackend backend() {
    return backend;
  }

  public int maxPayload() {
    return maxPayload;
  }

  public Frame dispatch(Frame req) {
    requests++;
    if (req.version() == FrameCodec.VERSION && req.seq() == UNSOLICITED_SEQ) {
      // Executing it would send a reply indistinguishable from an unsolicited one; not cached.
      return error(UNSOLICITED_SEQ, ErrorCode.RESERVED_SEQ, "seq 65535 is reserved for unsolicited errors; request not executed");
    }
    int crc = FrameCodec.crc32(req.payload(), 0, req.payload().length);
    if (req.version() == FrameCodec.VERSION && req.type() == MessageType.HELLO.code) {
      hasLast = false;
    } else if (hasLast && req.seq() == lastSeq) {
      if (req.type() == lastType && crc == lastCrc) {
        replays++;
        return lastReply;
      }
      return error(req.seq(), ErrorCode.SEQUENCE_REUSED,
          "seq " + req.seq() + " was just used for another request; use a new sequence number or send HELLO");
    }
    Frame reply = execute(req);
    hasLast = true;
    lastSeq = req.seq();
    lastType = req.type();
    lastCrc = crc;
    lastReply = reply;
    return reply;
  }

  private Frame execute(Frame req) {
    int seq = req.seq();
    if (req.version() != FrameCodec.VERSION) {
      return error(seq, ErrorCode.UNSUPPORTED_VERSION,
          "protocol version " + req.version() + " not supported; this device speaks version " + FrameCodec.VERSION);
    }
    MessageType type = MessageType.request(req.type());
    if (type == null) {
      return error(seq, ErrorCode.UNKNOWN_TYPE, String.format("unknown message type 0x%02x", req.type()));
    }
    if (req.payload().length > maxPayload) {
      return error(seq, ErrorCode.PAYLOAD_TOO_LARGE, "payload of " + req.payload().length + " bytes exceeds this device's " + maxPayload);
    }
    try {
      byte[] p = req.payload();
      byte[] out = switch (type) {
        case HELLO -> {
          // u8: the newest protocol version the controller speaks; exactly one byte in v1.
          PayloadReader r = new PayloadReader(p);
          r.u8("controller protocol version");
          r.end("HELLO");
          yield backend.hello().encode();
        }
        case PING -> p;
        case RESET -> {
          expectEmpty(p, "RESET");
          backend.reset();
          yield new byte[0];
        }
        case DATA_DEFINE -> {
          backend.defineDataset(DatasetHeader.decode(p));
          yield new byte[0];
        }
        case DATA_WRITE -> {
          backend.writeRows(DataRows.decode(p));
          yield new byte[0];
        }
        case EVALUATE -> {
          EvaluateRequest e = EvaluateRequest.decode(p);
          if (e.perturbation().distribution() == Distribution.GUIDED) requireGuided("EVALUATE");
          yield backend.evaluate(e).encode();
        }
        case UPDATE -> {
          UpdateRequest u = UpdateRequest.decode(p);
          if (u.distribution() == Distribution.GUIDED) requireGuided("UPDATE");
          yield backend.update(u).encode();
        }
        case WRITE_WEIGHTS -> {
          backend.writeWeights(WeightsChunk.decode(p));
          yield new byte[0];
        }
        case READ_WEIGHTS -> backend.readWeights(ReadWeightsRequest.decode(p)).encode();
        case BASIS_WRITE -> {
          backend.writeBasis(BasisChunk.decode(p));
          yield new byte[0];
        }
        case STATS -> {
          expectEmpty(p, "STATS");
          yield backend.stats().encode();
        }
        case ERROR -> throw new IllegalStateException("unreachable");
      };
      if (out.length > maxPayload && type != MessageType.HELLO) {
        // The chip never sends more than it announced (HELLO excepted: it is how the limit is learnt).
        return error(seq, ErrorCode.PAYLOAD_TOO_LARGE, type + " reply of " + out.length + " bytes exceeds this device's " + maxPayload);
      }
      return Frame.of(type.replyCode(), seq, out);
    } catch (MalformedPayloadException | IllegalArgumentException e) {
      return error(seq, ErrorCode.MALFORMED_PAYLOAD, type + ": " + e.getMessage());
    } catch (ChipException e) {
      return error(seq, e.code(), e.getMessage());
    } catch (RuntimeException e) {
      return error(seq, ErrorCode.INTERNAL, type + " failed inside the device: " + e);
    }
  }

  /** Distribution 3 on a chip without DIRECTION_GUIDED is an unknown code, as for every firmware before it (PROTOCOL.md 9.2). */
  private void requireGuided(String what) {
    if (!backend.hello().has(Capability.DIRECTION_GUIDED)) throw new MalformedPayloadException(what + ": unknown distribution code 3 (no DIRECTION_GUIDED)");
  }

  private static void expectEmpty(byte[] p, String what) {
    if (p.length != 0) throw new MalformedPayloadException(what + " takes no payload, got " + p.length + " bytes");
  }

  public Frame error(int seq, ErrorCode code, String message) {
    errors++;
    return Frame.of(MessageType.ERROR.code, seq, ErrorReply.of(code, message).encode());
  }

  /** Requests handled, replies replayed from the cache, ERROR replies sent. */
  public long[] counters() {
    return new long[] {requests, replays, errors};
  }
}
