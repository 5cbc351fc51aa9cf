package io.noprop.protocol.vectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.PayloadWriter;
import java.util.HexFormat;

/**
 * The {@code chip_sessions} section: request frames in order and what a chip answers each, for a
 * chip with the network of {@link ForwardVectors} (3-2-3, weights in [-1, 1], 4 dataset slots).
 * A reply is pinned by type, seq, and either its ERROR code or its exact payload (HELLO's payload,
 * which names the chip, is not pinned). Exchanges marked with a {@code capability} are answered
 * {@code NOT_SUPPORTED} by a chip without that capability. The simulator ({@code ideal} preset),
 * the C example and the Python checker each run these sessions.
 */
final class SessionVectors {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();
  static final int SLOTS = 4;

  private SessionVectors() {}

  static ArrayNode generate() {
    ArrayNode a = F.arrayNode();
    ObjectNode s = a.addObject();
    s.put("name", "forward, stats and error codes");
    s.put("description", "A 3-2-3 chip: STATS all zero after RESET; the worked forward example of section 7.1 through "
        + "EVALUATE, over 3 outputs and over 2 classes; the error codes of DATA_DEFINE, WRITE_WEIGHTS and EVALUATE; a "
        + "request with the reserved seq 0xFFFF refused and not executed.");
    ArrayNode layers = s.putArray("layers");
    for (int l : ForwardVectors.LAYERS) layers.add(l);
    s.put("dataset_slots", SLOTS);
    ArrayNode x = s.putArray("exchanges");
    int seq = 0;
    x.add(reply("HELLO opens the session", frame(MessageType.HELLO, seq++, new PayloadWriter().u8(1)), null));
    x.add(reply("RESET", frame(MessageType.RESET, seq++, new PayloadWriter()), new byte[0]));
    x.add(reply("STATS right after RESET: every counter 0", frame(MessageType.STATS, seq++, new PayloadWriter()), new byte[56]).put("capability", "STATS"));
    PayloadWriter ww = new PayloadWriter().u32(0).u16(ForwardVectors.WEIGHTS.length);
    for (float w : ForwardVectors.WEIGHTS) ww.f32(w);
    x.add(reply("WRITE_WEIGHTS: the 17 weights of the forward section", frame(MessageType.WRITE_WEIGHTS, seq++, ww), new byte[0]));
    for (int classes : new int[] {3, 2}) {
      int slot = classes == 3 ? 0 : 1;
      x.add(reply("DATA_DEFINE slot " + slot + ": 3 rows, " + classes + " classes, U8",
          frame(MessageType.DATA_DEFINE, seq++, define(slot, 3, 3, classes)), new byte[0]));
      PayloadWriter rows = new PayloadWriter().u8(slot).u32(0).u16(ForwardVectors.ROWS.length);
      for (int[] r : ForwardVectors.ROWS) for (int b : r) rows.u8(b);
      x.add(reply("DATA_WRITE slot " + slot + ": the rows of the forward section", frame(MessageType.DATA_WRITE, seq++, rows), new byte[0]));
      x.add(reply("EVALUATE slot " + slot + " rows [0, 3), unperturbed: the mean of the forward section's losses over " + classes + " classes",
          frame(MessageType.EVALUATE, seq++, evaluate(slot, 0, 3)), evaluation(classes).encode()));
    }
    x.add(error("EVALUATE slot 4 of a 4-slot chip", frame(MessageType.EVALUATE, seq++, evaluate(4, 0, 1)), ErrorCode.OUT_OF_RANGE));
    x.add(error("EVALUATE an empty slot", frame(MessageType.EVALUATE, seq++, evaluate(2, 0, 1)), ErrorCode.NO_DATASET));
    x.add(error("EVALUATE rows past the dataset", frame(MessageType.EVALUATE, seq++, evaluate(0, 2, 2)), ErrorCode.OUT_OF_RANGE));
    x.add(error("DATA_DEFINE 0 rows", frame(MessageType.DATA_DEFINE, seq++, define(2, 0, 3, 3)), ErrorCode.MALFORMED_PAYLOAD));
    x.add(error("DATA_DEFINE 2^31 rows", frame(MessageType.DATA_DEFINE, seq++, define(2, 0x80000000L, 3, 3)), ErrorCode.MALFORMED_PAYLOAD));
    x.add(error("DATA_DEFINE 1 class", frame(MessageType.DATA_DEFINE, seq++, define(2, 3, 3, 1)), ErrorCode.MALFORMED_PAYLOAD));
    x.add(error("DATA_DEFINE 257 classes", frame(MessageType.DATA_DEFINE, seq++, define(2, 3, 3, 257)), ErrorCode.MALFORMED_PAYLOAD));
    x.add(error("DATA_DEFINE 0 features", frame(MessageType.DATA_DEFINE, seq++, define(2, 3, 0, 3)), ErrorCode.MALFORMED_PAYLOAD));
    x.add(error("DATA_DEFINE 4 classes on 3 outputs", frame(MessageType.DATA_DEFINE, seq++, define(2, 3, 3, 4)), ErrorCode.OUT_OF_RANGE));
    x.add(error("DATA_DEFINE 4 features on 3 inputs", frame(MessageType.DATA_DEFINE, seq++, define(2, 3, 4, 3)), ErrorCode.OUT_OF_RANGE));
    x.add(error("DATA_DEFINE slot 4 of a 4-slot chip", frame(MessageType.DATA_DEFINE, seq++, define(4, 3, 3, 3)), ErrorCode.OUT_OF_RANGE));
    x.add(error("WRITE_WEIGHTS offset 2^31", frame(MessageType.WRITE_WEIGHTS, seq++, new PayloadWriter().u32(0x80000000L).u16(0)), ErrorCode.MALFORMED_PAYLOAD));
    x.add(error("WRITE_WEIGHTS past the 17 parameters", frame(MessageType.WRITE_WEIGHTS, seq++, new PayloadWriter().u32(16).u16(2).f32(0f).f32(0f)), ErrorCode.OUT_OF_RANGE));
    x.add(error("WRITE_WEIGHTS a value outside [-1, 1]", frame(MessageType.WRITE_WEIGHTS, seq++, new PayloadWriter().u32(0).u16(1).f32(1.5f)), ErrorCode.OUT_OF_RANGE));
    x.add(error("READ_WEIGHTS offset 2^31", frame(MessageType.READ_WEIGHTS, seq++, new PayloadWriter().u32(0x80000000L).u16(1).u8(0)), ErrorCode.MALFORMED_PAYLOAD));
    Frame reserved = Frame.of(MessageType.UPDATE.code, 0xFFFF, new PayloadWriter().u8(1).u8(1).u32(7).f32(0.5f).toByteArray());
    x.add(error("UPDATE with the reserved seq 0xFFFF: refused with seq 0xFFFF, not executed", reserved, ErrorCode.RESERVED_SEQ));
    PayloadWriter weights = new PayloadWriter().u32(0).u16(ForwardVectors.WEIGHTS.length);
    for (float w : ForwardVectors.WEIGHTS) weights.f32(w);
    x.add(reply("READ_WEIGHTS: unchanged, so that UPDATE did not run", frame(MessageType.READ_WEIGHTS, seq++, new PayloadWriter().u32(0).u16(17).u8(0)),
        weights.toByteArray()));
    x.add(error("HELLO with the reserved seq 0xFFFF", Frame.of(MessageType.HELLO.code, 0xFFFF, new byte[] {1}), ErrorCode.RESERVED_SEQ));
    return a;
  }

  /** The EVALUATE reply over all three rows: per-sample losses summed in binary64, divided by 3, rounded to binary32. */
  static EvalResult evaluation(int classes) {
    double sum = 0;
    int right = 0;
    for (int[] r : ForwardVectors.ROWS) {
      ReferenceForward.Trace t = ReferenceForward.run(ForwardVectors.LAYERS, ForwardVectors.WEIGHTS, ForwardVectors.input(r), classes, ForwardVectors.label(r));
      sum += t.loss();
      if (t.argmax() == ForwardVectors.label(r)) right++;
    }
    int n = ForwardVectors.ROWS.length;
    return new EvalResult((float) (sum / n), right, n, 0);
  }

  private static PayloadWriter define(int slot, long rows, int features, int classes) {
    return new PayloadWriter().u8(slot).u32(rows).u16(features).u16(classes).u8(0);
  }

  private static PayloadWriter evaluate(int slot, int start, int count) {
    return new PayloadWriter().u8(slot).u8(0).u32(start).u16(count).u8(0).u32(0).u8(1).f32(0f);
  }

  private static Frame frame(MessageType t, int seq, PayloadWriter p) {
    return Frame.of(t.code, seq, p.toByteArray());
  }

  private static ObjectNode exchange(String name, Frame request) {
    ObjectNode o = F.objectNode();
    o.put("name", name);
    o.put("request_wire", HEX.formatHex(FrameCodec.toWire(request)));
    return o;
  }

  /** An ordinary reply: its type and the request's seq, and its payload unless null. */
  private static ObjectNode reply(String name, Frame request, byte[] payload) {
    ObjectNode o = exchange(name, request);
    o.put("reply_type", request.type() | 0x80);
    o.put("reply_seq", request.seq());
    if (payload != null) o.put("reply_payload", HEX.formatHex(payload));
    return o;
  }

  private static ObjectNode error(String name, Frame request, ErrorCode code) {
    ObjectNode o = exchange(name, request);
    o.put("reply_type", MessageType.ERROR.code);
    o.put("reply_seq", request.seq());
    o.put("error_code", code.code);
    o.put("error_name", code.name());
    return o;
  }
}
