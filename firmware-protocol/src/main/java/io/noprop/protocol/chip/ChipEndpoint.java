package io.noprop.protocol.chip;

import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.frame.FrameException;
import io.noprop.protocol.frame.MessageFrame;
import io.noprop.protocol.frame.FrameDecoder;
import io.noprop.protocol.frame.ParserStats;
import io.noprop.protocol.msg.ErrorCode;
import java.io.ByteArrayOutputStream;

/**
 * The chip's byte-stream face: wire bytes in (COBS frames delimited by 0x00), wire bytes out.
 * A serial port, a pipe or an in-process link all feed it the same way.
 *
 * <p>A frame that fails its checks is answered with an unsolicited CORRUPT_FRAME error (seq
 * 0xFFFF) so the controller resends at once instead of waiting for its timeout; it is never
 * executed.
 */
public final class ChipEndpoint {
  private final ChipDispatcher dispatcher;
  private final FrameDecoder decoder;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  public ChipEndpoint(ChipBackend backend) {
    this.dispatcher = new ChipDispatcher(backend);
    this.decoder = new FrameDecoder(dispatcher.maxPayload());
  }

  /** Feeds received bytes; returns the bytes to send back (possibly empty). */
  public synchronized byte[] onBytes(byte[] data, int off, int len) {
    out.reset();
    decoder.feed(data, off, len,
        frame -> out.writeBytes(FrameCodec.toWire(dispatcher.dispatch(frame))),
        bad -> out.writeBytes(FrameCodec.toWire(
            dispatcher.error(ChipDispatcher.UNSOLICITED_SEQ, ErrorCode.CORRUPT_FRAME, "frame rejected: " + bad.getMessage()))));
    return out.toByteArray();
  }

  /**
   * Serves one message of a message transport (MQTT): the message holds one frame
   * ({@link MessageFrame}); returns the wire bytes of exactly one reply frame, or of one
   * CORRUPT_FRAME error when the message is not exactly one intact frame (then nothing in it is
   * executed). Independent of {@link #onBytes}: a message never continues a stream.
   */
  public synchronized byte[] onMessage(byte[] message) {
    Frame reply;
    try {
      reply = dispatcher.dispatch(MessageFrame.decode(message, dispatcher.maxPayload()));
    } catch (FrameException bad) {
      reply = dispatcher.error(ChipDispatcher.UNSOLICITED_SEQ, ErrorCode.CORRUPT_FRAME, "message rejected: " + bad.getMessage());
    }
    return FrameCodec.toWire(reply);
  }

  public ParserStats parserStats() {
    return decoder.stats();
  }

  public ChipDispatcher dispatcher() {
    return dispatcher;
  }
}
