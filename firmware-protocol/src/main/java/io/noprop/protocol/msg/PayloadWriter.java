package io.noprop.protocol.msg;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Little-endian writer for payloads; grows as needed. */
public final class PayloadWriter {
  private byte[] buf;
  private int pos;

  public PayloadWriter() {
    this(32);
  }

  public PayloadWriter(int capacity) {
    buf = new byte[Math.max(capacity, 8)];
  }

  private void ensure(int n) {
    if (pos + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
  }

  public PayloadWriter u8(int v) {
    if (v < 0 || v > 0xFF) throw new IllegalArgumentException("u8 out of range: " + v);
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  public PayloadWriter i8(int v) {
    if (v < -128 || v > 127) throw new IllegalArgumentException("i8 out of range: " + v);
    ensure(1);
    buf[pos++] = (byte) v;
    return this;
  }

  public PayloadWriter u16(int v) {
    if (v < 0 || v > 0xFFFF) throw new IllegalArgumentException("u16 out of range: " + v);
    ensure(2);
    buf[pos++] = (byte) v;
    buf[pos++] = (byte) (v >>> 8);
    return this;
  }

  /** Writes the low 32 bits of {@code v}; seeds and counts are unsigned on the wire. */
  public PayloadWriter u32(long v) {
    if (v < Integer.MIN_VALUE || v > 0xFFFFFFFFL) throw new IllegalArgumentException("u32 out of range: " + v);
    return i32((int) v);
  }

  public PayloadWriter i32(int v) {
    ensure(4);
    buf[pos++] = (byte) v;
    buf[pos++] = (byte) (v >>> 8);
    buf[pos++] = (byte) (v >>> 16);
    buf[pos++] = (byte) (v >>> 24);
    return this;
  }

  /** Writes all 64 bits of {@code v}, little-endian (an unsigned u64 on the wire). */
  public PayloadWriter u64(long v) {
    i32((int) v);
    return i32((int) (v >>> 32));
  }

  public PayloadWriter f64(double v) {
    return u64(Double.doubleToRawLongBits(v));
  }

  public PayloadWriter f32(float v) {
    return i32(Float.floatToRawIntBits(v));
  }

  public PayloadWriter f32s(float[] v, int off, int n) {
    ensure(4 * n);
    for (int i = off; i < off + n; i++) {
      int b = Float.floatToRawIntBits(v[i]);
      buf[pos++] = (byte) b;
      buf[pos++] = (byte) (b >>> 8);
      buf[pos++] = (byte) (b >>> 16);
      buf[pos++] = (byte) (b >>> 24);
    }
    return this;
  }

  public PayloadWriter bytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, pos, n);
    pos += n;
    return this;
  }

  /** A string: u8 byte length then UTF-8, at most 255 bytes. */
  public PayloadWriter str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > 0xFF) throw new IllegalArgumentException("string longer than 255 UTF-8 bytes: " + s.substring(0, 40) + "...");
    u8(b.length);
    return bytes(b, 0, b.length);
  }

  public int size() {
    return pos;
  }

  public byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }
}
