package io.noprop.protocol.frame;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One protocol message: header fields plus an opaque payload.
 *
 * @param version protocol version (1)
 * @param type message type code, see {@code MessageType}
 * @param seq sequence number, 0..65535; a reply carries the sequence number of its request
 * @param payload message body, at most 65535 bytes
 */
public record Frame(int version, int type, int seq, byte[] payload) {
  public Frame {
    if (version < 0 || version > 0xFF) throw new IllegalArgumentException("version must fit a byte: " + version);
    if (type < 0 || type > 0xFF) throw new IllegalArgumentException("type must fit a byte: " + type);
    if (seq < 0 || seq > 0xFFFF) throw new IllegalArgumentException("seq must fit 16 bits: " + seq);
    if (payload.length > 0xFFFF) throw new IllegalArgumentException("payload longer than 65535 bytes: " + payload.length);
  }

  public static Frame of(int type, int seq, byte[] payload) {
    return new Frame(FrameCodec.VERSION, type, seq, payload);
  }

  @Override
  public String toString() {
    String hex = payload.length <= 32
        ? HexFormat.of().formatHex(payload)
        : HexFormat.of().formatHex(payload, 0, 32) + "...";
    return String.format("Frame[v=%d type=0x%02x seq=%d len=%d payload=%s]", version, type, seq, payload.length, hex);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Frame f && f.version == version && f.type == type && f.seq == seq
        && Arrays.equals(f.payload, payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(version, type, seq, Arrays.hashCode(payload));
  }
}
