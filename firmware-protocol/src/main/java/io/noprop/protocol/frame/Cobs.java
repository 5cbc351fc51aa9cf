package io.noprop.protocol.frame;

import java.util.Arrays;

/**
 * Consistent Overhead Byte Stuffing: removes every 0x00 from a frame so that 0x00 can delimit
 * frames on a byte stream.
 *
 * <pre>
 *   raw:     11 22 00 33
 *   encoded: 03 11 22 02 33      (then the delimiter 00 on the wire)
 * </pre>
 *
 * Overhead is one byte per started run of 254 non-zero bytes, plus one.
 */
public final class Cobs {
  private Cobs() {}

  /** Largest encoded size of {@code rawLength} raw bytes (without the delimiter). */
  public static int maxEncodedLength(int rawLength) {
    return rawLength + rawLength / 254 + 1;
  }

  /** Encodes {@code src[off, off+len)} into {@code dst} at {@code dstOff}; returns bytes written. */
  public static int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
    int codeIndex = dstOff;
    int out = dstOff + 1;
    int code = 1;
    for (int i = off, end = off + len; i < end; i++) {
      byte b = src[i];
      if (b == 0) {
        dst[codeIndex] = (byte) code;
        codeIndex = out++;
        code = 1;
      } else {
        dst[out++] = b;
        if (++code == 0xFF) {
          dst[codeIndex] = (byte) code;
          codeIndex = out++;
          code = 1;
        }
      }
    }
    dst[codeIndex] = (byte) code;
    return out - dstOff;
  }

  /** Encodes a whole array; the result has no delimiter. */
  public static byte[] encode(byte[] raw) {
    byte[] buf = new byte[maxEncodedLength(raw.length)];
    int n = encode(raw, 0, raw.length, buf, 0);
    return Arrays.copyOf(buf, n);
  }

  /**
   * Decodes {@code src[off, off+len)} (no delimiter inside) into {@code dst}; returns the raw
   * length.
   *
   * @throws FrameException if the input contains a zero or a code runs past the end
   */
  public static int decode(byte[] src, int off, int len, byte[] dst, int dstOff) {
    int in = off;
    int end = off + len;
    int out = dstOff;
    while (in < end) {
      int code = src[in++] & 0xFF;
      if (code == 0) {
        throw new FrameException(FrameException.Kind.COBS, "zero byte inside a COBS frame at offset " + (in - 1 - off));
      }
      int runEnd = in + code - 1;
      if (runEnd > end) {
        throw new FrameException(FrameException.Kind.COBS,
            "COBS code " + code + " at offset " + (in - 1 - off) + " runs past the end of a " + len + "-byte frame");
      }
      for (; in < runEnd; in++) {
        byte b = src[in];
        if (b == 0) {
          throw new FrameException(FrameException.Kind.COBS, "zero byte inside a COBS frame at offset " + (in - off));
        }
        dst[out++] = b;
      }
      if (code != 0xFF && in < end) {
        dst[out++] = 0;
      }
    }
    return out - dstOff;
  }

  public static byte[] decode(byte[] encoded) {
    byte[] buf = new byte[encoded.length];
    int n = decode(encoded, 0, encoded.length, buf, 0);
    return Arrays.copyOf(buf, n);
  }
}
