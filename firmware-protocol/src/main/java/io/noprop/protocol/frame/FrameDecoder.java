package io.noprop.protocol.frame;

import java.util.function.Consumer;

/**
 * Finds frames in a byte stream: a byte-at-a-time state machine with no I/O inside.
 *
 * <p>Bytes accumulate until a 0x00 delimiter; the run is COBS-decoded and parsed by
 * {@link FrameCodec}. A run longer than {@code maxEncodedFrame} is skipped up to the next
 * delimiter, never buffered. Corrupt runs are reported to the error sink and the decoder moves
 * on: garbage costs at most the frame it lands in. Empty runs (two delimiters in a row) are
 * ignored, so a sender may put a lone 0x00 on the line to flush a receiver's partial frame.
 */
public final class FrameDecoder {
  private final int maxEncodedFrame;
  private final byte[] buf;
  private final byte[] raw;
  private int len;
  private boolean skipping;
  private final ParserStats.Counter stats = new ParserStats.Counter();

  /**
   * @param maxPayload largest payload the receiver accepts. It sizes the buffer: a run longer than
   *     {@code Cobs.maxEncodedLength(maxPayload + 10)} encoded bytes is dropped as oversize, never
   *     buffered. Caution: that bound has COBS's worst-case slack, so a frame whose payload is up to
   *     {@code (maxPayload + 10) / 254} bytes longer still fits when it holds zeros to stuff; it is
   *     delivered, and the receiver refuses it by its payload length (the chip's dispatcher answers
   *     PAYLOAD_TOO_LARGE with the request's seq, which tells the sender more than a CORRUPT_FRAME).
   */
  public FrameDecoder(int maxPayload) {
    if (maxPayload < 0 || maxPayload > 0xFFFF) {
      throw new IllegalArgumentException("maxPayload must be in [0, 65535]: " + maxPayload);
    }
    this.maxEncodedFrame = Cobs.maxEncodedLength(maxPayload + FrameCodec.OVERHEAD);
    this.buf = new byte[maxEncodedFrame];
    this.raw = new byte[maxEncodedFrame];
  }

  /**
   * Feeds bytes; calls {@code onFrame} for each good frame and {@code onError} for each bad one.
   */
  public void feed(byte[] data, int off, int n, Consumer<Frame> onFrame, Consumer<FrameException> onError) {
    for (int i = off, end = off + n; i < end; i++) {
      byte b = data[i];
      stats.bytes++;
      if (b != 0) {
        if (skipping) continue;
        if (len == maxEncodedFrame) {
          skipping = true;
          len = 0;
          stats.oversize++;
          onError.accept(new FrameException(FrameException.Kind.OVERSIZE, "frame exceeds " + maxEncodedFrame + " encoded bytes; skipped to the next delimiter"));
          continue;
        }
        buf[len++] = b;
        continue;
      }
      // Delimiter.
      if (skipping) {
        skipping = false;
        stats.resyncs++;
        continue;
      }
      if (len == 0) continue;
      int runLen = len;
      len = 0;
      Frame frame;
      try {
        int rawLen = Cobs.decode(buf, 0, runLen, raw, 0);
        frame = FrameCodec.decode(raw, 0, rawLen);
      } catch (FrameException e) {
        stats.count(e.kind());
        onError.accept(e);
        continue;
      }
      stats.frames++;
      onFrame.accept(frame);
    }
  }

  /** Drops a partially received frame (after a timeout or a reconnect). */
  public void reset() {
    len = 0;
    skipping = false;
  }

  public ParserStats stats() {
    return stats.snapshot();
  }
}
