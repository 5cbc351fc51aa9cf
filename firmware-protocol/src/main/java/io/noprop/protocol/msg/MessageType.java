package io.noprop.protocol.msg;

/**
 * Message type codes. A reply's type is its request's type with bit 7 set; {@link #ERROR} may
 * answer any request.
 */
public enum MessageType {
  HELLO(0x01),
  PING(0x02),
  RESET(0x03),
  EVALUATE(0x10),
  UPDATE(0x11),
  WRITE_WEIGHTS(0x12),
  READ_WEIGHTS(0x13),
  /** Reads the chip's cost counters (simulated or measured chip time, energy, operation counts). */
  STATS(0x14),
  /** Stores a run of one basis vector of the GUIDED directions. */
  BASIS_WRITE(0x15),
  DATA_DEFINE(0x20),
  DATA_WRITE(0x21),
  ERROR(0xFF);

  public static final int REPLY_BIT = 0x80;

  private static final MessageType[] BY_CODE = new MessageType[256];

  static {
    for (MessageType t : values()) BY_CODE[t.code] = t;
  }

  public final int code;

  MessageType(int code) {
    this.code = code;
  }

  public int replyCode() {
    return this == ERROR ? code : code | REPLY_BIT;
  }

  /** Request type for a code, or null when the code names no request. */
  public static MessageType request(int code) {
    MessageType t = BY_CODE[code & 0xFF];
    return t == ERROR ? null : t;
  }

  /** True for the commands whose effect must never be applied twice. */
  public boolean mutatesWeights() {
    return this == UPDATE || this == WRITE_WEIGHTS || this == RESET;
  }
}
