package io.noprop.protocol.msg;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Little-endian reader over a payload; every read checks bounds and names the field it lacks. */
public final class PayloadReader {
  private final byte[] buf;
  private int pos;
  private final int end;

  public PayloadReader(byte[] buf) {
    this(buf, 0, buf.length);
  }

  public PayloadReader(byte[] buf, int off, int len) {
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
  }

  private void require(int n, String field) {
    if (end - pos < n) {
      throw new MalformedPayloadException("payload ends before " + field + ": needs " + n + " bytes, " + (end - pos) + " left");
    }
  }

  public int u8(String field) {
    require(1, field);
    return buf[pos++] & 0xFF;
  }

  public int i8(String field) {
    require(1, field);
    return buf[pos++];
  }

  public int u16(String field) {
    require(2, field);
    int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8;
    pos += 2;
    return v;
  }

  public int i32(String field) {
    require(4, field);
    int v = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
    pos += 4;
    return v;
  }

  public long u32(String field) {
    return i32(field) & 0xFFFFFFFFL;
  }

  /** The 64 bits of a u64; values of 2^63 and more come out negative (read them unsigned). */
  public long u64(String field) {
    long lo = u32(field);
    return lo | (long) i32(field) << 32;
  }

  public double f64(String field) {
    return Double.longBitsToDouble(u64(field));
  }

  public float f32(String field) {
    return Float.intBitsToFloat(i32(field));
  }

  public float[] f32s(int n, String field) {
    require(4 * n, field);
    float[] out = new float[n];
    for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat(i32(field));
    return out;
  }

  public byte[] bytes(int n, String field) {
    require(n, field);
    byte[] out = Arrays.copyOfRange(buf, pos, pos + n);
    pos += n;
    return out;
  }

  public String str(String field) {
    int n = u8(field + " length");
    require(n, field);
    String s = new String(buf, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  public int remaining() {
    return end - pos;
  }

  /** Rejects trailing bytes: a payload longer than its message is as suspect as a short one. */
  public void end(String message) {
    if (pos != end) {
      throw new MalformedPayloadException(message + " payload has " + (end - pos) + " unexpected trailing bytes");
    }
  }
}
