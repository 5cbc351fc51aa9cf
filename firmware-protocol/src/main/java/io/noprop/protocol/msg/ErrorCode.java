package io.noprop.protocol.msg;

/** Codes carried by ERROR frames. Values are part of the wire contract; never renumber. */
public enum ErrorCode {
  /** A frame arrived with a bad CRC, stuffing or length; sent with seq 0xFFFF. Resend. */
  CORRUPT_FRAME(1),
  UNSUPPORTED_VERSION(2),
  UNKNOWN_TYPE(3),
  MALFORMED_PAYLOAD(4),
  OUT_OF_RANGE(5),
  NO_DATASET(6),
  BATCH_TOO_LARGE(7),
  PAYLOAD_TOO_LARGE(8),
  NOT_SUPPORTED(9),
  BUSY(10),
  INTERNAL(11),
  /** A sequence number was reused for a different request within one session. */
  SEQUENCE_REUSED(12),
  /**
   * A request carried seq 0xFFFF, which is reserved for the chip's unsolicited errors; answered
   * with seq 0xFFFF and not executed, so no reply of an executed request ever looks unsolicited.
   */
  RESERVED_SEQ(13),
  /** A GUIDED direction names a basis vector that was not written since boot or RESET (BASIS_WRITE first). */
  NO_BASIS(14);

  public final int code;

  ErrorCode(int code) {
    this.code = code;
  }

  public static ErrorCode of(int code) {
    for (ErrorCode c : values()) if (c.code == code) return c;
    return null;
  }
}
