package io.noprop.protocol.vectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.frame.FrameException;
import io.noprop.protocol.frame.MessageFrame;
import io.noprop.protocol.msg.MessageType;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The {@code mqtt_messages} section: one message of a message transport and the one frame it
 * holds, or {@code corrupt} when it does not hold exactly one intact frame (PROTOCOL.md section 14).
 */
final class MessageVectors {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();

  private MessageVectors() {}

  static ArrayNode generate() {
    ArrayNode a = F.arrayNode();
    Frame ping = Frame.of(MessageType.PING.code, 3, new byte[] {0, 1, 2, 0});
    Frame update = Frame.of(MessageType.UPDATE.code, 4, HEX.parseHex("0101070000000000003f"));
    byte[] p = FrameCodec.toWire(ping);
    byte[] u = FrameCodec.toWire(update);
    a.add(message("one frame with its delimiter", 64, p, "the usual form"));
    a.add(message("one frame without its delimiter", 64, Arrays.copyOf(p, p.length - 1), "the 00 is optional"));
    a.add(message("two frames", 64, concat(u, FrameCodec.toWire(Frame.of(MessageType.UPDATE.code, 5, HEX.parseHex("0101080000000000003f")))),
        "never two frames: one CORRUPT_FRAME, neither UPDATE runs"));
    a.add(message("a frame then a lone delimiter", 64, concat(p, new byte[] {0}), "a 00 before the end"));
    a.add(message("a leading delimiter", 64, concat(new byte[] {0}, p), "a 00 before the end"));
    a.add(message("empty", 64, new byte[0], "no frame"));
    a.add(message("a lone delimiter", 64, new byte[] {0}, "no frame"));
    byte[] bad = p.clone();
    bad[5] ^= 0x40;
    a.add(message("a frame with a bad CRC", 64, bad, "fails the checks of section 3"));
    Frame full = Frame.of(MessageType.PING.code, 6, new byte[16]);
    Arrays.fill(full.payload(), (byte) 7);
    byte[] f = FrameCodec.toWire(full);
    a.add(message("a frame of maxPayload 16, its 27 encoded bytes the most a 16-byte chip buffers", 16, f, "the largest one frame"));
    byte[] over = new byte[28];
    Arrays.fill(over, (byte) 0x55);
    a.add(message("28 non-zero bytes for a 16-byte chip", 16, over, "longer than MAX_ENCODED = 27: refused before decoding"));
    return a;
  }

  private static ObjectNode message(String name, int maxPayload, byte[] msg, String why) {
    ObjectNode o = F.objectNode();
    o.put("name", name);
    o.put("max_payload", maxPayload);
    o.put("message", HEX.formatHex(msg));
    o.put("why", why);
    try {
      o.put("frame_raw", HEX.formatHex(FrameCodec.encode(MessageFrame.decode(msg, maxPayload))));
    } catch (FrameException e) {
      o.put("corrupt", true);
    }
    return o;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
