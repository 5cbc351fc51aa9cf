package io.noprop.protocol.msg;

/**
 * ERROR: {@code u16 code | str message}. {@code code} is kept raw so that a newer device's codes
 * still reach the user.
 */
public record ErrorReply(int code, String message) {
  public static ErrorReply of(ErrorCode code, String message) {
    return new ErrorReply(code.code, message.length() > 200 ? message.substring(0, 200) : message);
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
