package io.noprop.protocol.frame;

import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * Turns a {@link Frame} into its raw bytes and back (no COBS here; see {@link Cobs}).
 *
 * <pre>
 *   offset  size  field
 *   0       1     version          (1)
 *   1       1     type
 *   2       2     seq              uint16 little-endian
 *   4       2     length N         uint16 little-endian, payload bytes
 *   6       N     payload
 *   6+N     4     CRC-32           IEEE 802.3 (zlib) over bytes [0, 6+N), little-endian
 * </pre>
 */
public final class FrameCodec {
  public static final int VERSION = 1;
  public static final int HEADER_BYTES = 6;
  public static final int CRC_BYTES = 4;
  public static final int OVERHEAD = HEADER_BYTES + CRC_BYTES;

  private FrameCodec() {}

  public static byte[] encode(Frame f) {
    byte[] p = f.payload();
    byte[] out = new byte[OVERHEAD + p.length];
    out[0] = (byte) f.version();
    out[1] = (byte) f.type();
    out[2] = (byte) f.seq();
    out[3] = (byte) (f.seq() >>> 8);
    out[4] = (byte) p.length;
    out[5] = (byte) (p.length >>> 8);
    System.arraycopy(p, 0, out, HEADER_BYTES, p.length);
    int crc = crc32(out, 0, HEADER_BYTES + p.length);
    int c = HEADER_BYTES + p.length;
    out[c] = (byte) crc;
    out[c + 1] = (byte) (crc >>> 8);
    out[c + 2] = (byte) (crc >>> 16);
    out[c + 3] = (byte) (crc >>> 24);
    return out;
  }

  /**
   * Parses raw frame bytes. Checks, in order: minimum size, length field against the size,
   * CRC, then version — so a corrupted frame is reported as corrupt, not as a foreign version.
   */
  public static Frame decode(byte[] raw, int off, int len) {
    if (len < OVERHEAD) {
      throw new FrameException(FrameException.Kind.TOO_SHORT, "frame of " + len + " bytes is shorter than the " + OVERHEAD + "-byte minimum");
    }
    int n = (raw[off + 4] & 0xFF) | (raw[off + 5] & 0xFF) << 8;
    if (n != len - OVERHEAD) {
      throw new FrameException(FrameException.Kind.LENGTH_MISMATCH, "length field says " + n + " payload bytes but the frame holds " + (len - OVERHEAD));
    }
    int c = off + HEADER_BYTES + n;
    int want = (raw[c] & 0xFF) | (raw[c + 1] & 0xFF) << 8 | (raw[c + 2] & 0xFF) << 16 | (raw[c + 3] & 0xFF) << 24;
    int got = crc32(raw, off, HEADER_BYTES + n);
    if (want != got) {
      throw new FrameException(FrameException.Kind.BAD_CRC, String.format("CRC mismatch: frame says %08x, computed %08x", want, got));
    }
    int version = raw[off] & 0xFF;
    int type = raw[off + 1] & 0xFF;
    int seq = (raw[off + 2] & 0xFF) | (raw[off + 3] & 0xFF) << 8;
    byte[] payload = Arrays.copyOfRange(raw, off + HEADER_BYTES, off + HEADER_BYTES + n);
    return new Frame(version, type, seq, payload);
  }

  public static Frame decode(byte[] raw) {
    return decode(raw, 0, raw.length);
  }

  /** COBS-encodes a frame and appends the 0x00 delimiter: the exact bytes a stream carries. */
  public static byte[] toWire(Frame f) {
    byte[] raw = encode(f);
    byte[] out = new byte[Cobs.maxEncodedLength(raw.length) + 1];
    int n = Cobs.encode(raw, 0, raw.length, out, 0);
    out[n] = 0;
    return Arrays.copyOf(out, n + 1);
  }

  public static int crc32(byte[] b, int off, int len) {
    CRC32 crc = new CRC32();
    crc.update(b, off, len);
    return (int) crc.getValue();
  }
}
