package io.noprop.protocol.msg;

import java.nio.charset.StandardCharsets;

/**
 * ERROR: {@code u16 code | str message}. {@code code} is kept raw so that a newer device's codes
 * still reach the user.
 */
public record ErrorReply(int code, String message) {
  /** Longest message sent, in UTF-8 bytes; the wire allows 255, the rest is headroom. */
  public static final int MAX_MESSAGE_BYTES = 200;

  /**
   * An ERROR for a device-side failure. Never throws on the message: it is cut to
   * {@link #MAX_MESSAGE_BYTES} UTF-8 bytes at a character boundary (counting chars is not enough:
   * 200 non-ASCII chars can exceed the 255-byte string limit), and null becomes empty.
   */
  public static ErrorReply of(ErrorCode code, String message) {
    return new ErrorReply(code.code, truncateUtf8(message == null ? "" : message, MAX_MESSAGE_BYTES));
  }

  private static String truncateUtf8(String s, int maxBytes) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length <= maxBytes) return s;
    int end = maxBytes;
    while (end > 0 && (b[end] & 0xC0) == 0x80) end--; // b[end] continues a character: cut before it
    return new String(b, 0, end, StandardCharsets.UTF_8);
  }

  public ErrorCode knownCode() {
    return ErrorCode.of(code);
  }

  public byte[] encode() {
    return new PayloadWriter(4 + message.length()).u16(code).str(message).toByteArray();
  }

  public static ErrorReply decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    ErrorReply e = new ErrorReply(r.u16("error code"), r.str("error message"));
    r.end("ERROR");
    return e;
  }

  @Override
  public String toString() {
    ErrorCode k = knownCode();
    return (k == null ? "error " + code : k.name()) + ": " + message;
  }
}
