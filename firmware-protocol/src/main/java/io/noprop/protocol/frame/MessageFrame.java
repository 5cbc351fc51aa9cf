package io.noprop.protocol.frame;

/**
 * The frame of one message on a message transport (MQTT, PROTOCOL.md section 14): a message
 * holds exactly one frame in its stream form, the trailing {@code 00} optional.
 *
 * <p>Why a rule of its own rather than feeding the message to a stream {@link FrameDecoder}: a
 * decoder would find every zero-separated run of a message and answer each, packing many replies
 * (or thousands of CORRUPT_FRAME errors for a message of noise) into one reply message. Here a
 * message is one frame or one corrupt frame, so every request message gets exactly one reply
 * message of bounded size, and nothing in a message holding two frames is executed.
 */
public final class MessageFrame {
  private MessageFrame() {}

  /**
   * Decodes the one frame of {@code message} for a receiver whose largest payload is
   * {@code maxPayload}.
   *
   * @throws FrameException if the message does not hold exactly one intact frame: empty, a
   *     {@code 00} anywhere but at the end (several frames, or garbage), longer than the receive
   *     buffer a stream receiver would have ({@link Cobs#maxEncodedLength} of
   *     {@code maxPayload + 10}; refused before any decoding), or failing the checks of section 3.
   */
  public static Frame decode(byte[] message, int maxPayload) {
    int n = message.length;
    if (n > 0 && message[n - 1] == 0) n--; // the delimiter is optional on a message transport
    int max = Cobs.maxEncodedLength(maxPayload + FrameCodec.OVERHEAD);
    if (n > max) {
      throw new FrameException(FrameException.Kind.OVERSIZE, "message of " + message.length + " bytes exceeds the " + max + " encoded bytes of one frame");
    }
    byte[] raw = new byte[n];
    // A 00 inside is refused by COBS: a message never holds two frames.
    int len = Cobs.decode(message, 0, n, raw, 0);
    return FrameCodec.decode(raw, 0, len);
  }
}
