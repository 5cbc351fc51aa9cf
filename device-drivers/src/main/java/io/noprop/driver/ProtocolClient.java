package io.noprop.driver;

import io.noprop.driver.link.Link;
import io.noprop.driver.link.LinkDownException;
import io.noprop.protocol.chip.ChipDispatcher;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.ErrorReply;
import io.noprop.protocol.msg.MalformedPayloadException;
import io.noprop.protocol.msg.MessageType;

/**
 * One request, one reply, matched by sequence number, with a timeout per attempt and bounded
 * resends of the same frame (same seq: the chip answers a resend from its replay cache, so
 * UPDATE and WRITE are never applied twice).
 */
public final class ProtocolClient implements AutoCloseable {
  private final Link link;
  private final RetryPolicy retry;
  private int nextSeq;
  private long requests;
  private long retries;
  private long stale;
  private long reconnects;
  private boolean reconnected;
  private Runnable sessionCheck;
  private static final int MAX_RECONNECTS_PER_REQUEST = 3;

  public ProtocolClient(Link link, RetryPolicy retry) {
    this.link = link;
    this.retry = retry;
  }

  /**
   * Sends a request and returns the reply payload; ERROR replies become {@link DeviceException}.
   *
   * <p>When the link goes down and {@link Link#reconnect()} brings it back, the pending request is
   * resent first, with its original seq: if the chip applied it before the reply was lost, its
   * replay cache answers and nothing is applied twice. Only then does the session check (set
   * with {@link #onReconnect(Runnable)}, typically a HELLO that verifies the chip's identity)
   * run; a HELLO first would clear the replay cache and an UPDATE would be applied again.
   */
  public byte[] call(MessageType type, byte[] payload) {
    int seq = nextSeq;
    nextSeq = (nextSeq + 1) % ChipDispatcher.UNSOLICITED_SEQ; // 0xFFFF is reserved
    byte[] reply = exchange(type, seq, payload);
    while (reconnected && sessionCheck != null) {
      reconnected = false;
      sessionCheck.run();
    }
    reconnected = false;
    return reply;
  }

  /**
   * Opens a session (PROTOCOL.md section 4): HELLO at seq 0, after which numbering restarts at 1.
   * Returns the HELLO reply payload.
   */
  public byte[] hello(byte[] payload) {
    nextSeq = 1;
    byte[] reply = exchange(MessageType.HELLO, 0, payload);
    reconnected = false; // this HELLO went to whatever answers now: it is the identity check
    return reply;
  }

  /** Runs after a request completes on a link that reconnected during it. */
  public void onReconnect(Runnable check) {
    this.sessionCheck = check;
  }

  private byte[] exchange(MessageType type, int seq, byte[] payload) {
    Frame request = Frame.of(type.code, seq, payload);
    long timeout = retry.timeout().toNanos();
    int comebacks = 0;
    for (int attempt = 1; attempt <= retry.attempts(); attempt++) {
      if (attempt > 1) retries++;
      try {
        link.send(request);
        long deadline = System.nanoTime() + timeout;
        while (true) {
          long left = deadline - System.nanoTime();
          Frame reply = left > 0 ? link.receive(left) : null;
          if (reply == null) break; // timeout: resend
          if (reply.type() == MessageType.ERROR.code && reply.seq() == ChipDispatcher.UNSOLICITED_SEQ) {
            break; // the chip saw a corrupt frame, possibly ours: resend now
          }
          if (reply.seq() != seq) {
            stale++;
            continue;
          }
          requests++;
          return unwrap(type, seq, reply);
        }
      } catch (LinkDownException e) {
        if (comebacks < MAX_RECONNECTS_PER_REQUEST && link.reconnect()) {
          comebacks++;
          reconnects++;
          reconnected = true;
          attempt--; // the link was down, the chip did not fail to answer: resend without using an attempt
          continue;
        }
        throw new DeviceException(DeviceException.Kind.LINK_DOWN,
            "link to " + link.peer() + " is down during " + type + " (seq " + seq + "): " + e.getMessage()
                + "; reconnect the device and continue the run with --resume", e);
      }
    }
    String hint = link.timeoutHint();
    throw new DeviceException(DeviceException.Kind.TIMEOUT, String.format(
        "no reply from %s to %s (seq %d) after %d attempts of %d ms; %s",
        link.peer(), type, seq, retry.attempts(), retry.timeout().toMillis(), hint.isEmpty() ? "check the cable or the device's power" : hint));
  }

  /** Times the link went down and came back. */
  public long reconnects() {
    return reconnects;
  }

  private byte[] unwrap(MessageType type, int seq, Frame reply) {
    if (reply.type() == MessageType.ERROR.code) {
      ErrorReply err;
      try {
        err = ErrorReply.decode(reply.payload());
      } catch (MalformedPayloadException e) {
        throw new DeviceException(DeviceException.Kind.PROTOCOL, link.peer() + " sent an unreadable ERROR frame: " + e.getMessage());
      }
      ErrorCode code = err.knownCode();
      throw new DeviceException(DeviceException.Kind.DEVICE_ERROR,
          link.peer() + " refused " + type + ": " + (code == null ? "error " + err.code() : code.name()) + ": " + err.message(), err, null);
    }
    if (reply.type() != type.replyCode()) {
      throw new DeviceException(DeviceException.Kind.PROTOCOL, String.format(
          "%s answered %s (seq %d) with type 0x%02x instead of 0x%02x", link.peer(), type, seq, reply.type(), type.replyCode()));
    }
    return reply.payload();
  }

  public WireStats stats() {
    return new WireStats(link.bytesSent(), link.bytesReceived(), requests, retries, stale);
  }

  public Link link() {
    return link;
  }

  @Override
  public void close() {
    link.close();
  }
}
