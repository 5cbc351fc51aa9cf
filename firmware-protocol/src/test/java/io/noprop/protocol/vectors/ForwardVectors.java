package io.noprop.protocol.vectors;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HexFormat;

/**
 * The {@code forward} section: a 3-2-3 network with fixed weights, three U8 rows, each with every
 * intermediate of PROTOCOL.md section 7.1, over all 3 outputs and over 2 classes (the third output
 * ignored). The same network, rows and weights are the dataset of {@link SessionVectors}.
 */
final class ForwardVectors {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final HexFormat HEX = HexFormat.of();

  static final int[] LAYERS = {3, 2, 3};
  /** Layer 0 weights (input-major), its biases, layer 1 weights, its biases: section 7's order. */
  static final float[] WEIGHTS = {
    0.5f, -0.25f, 0.75f, -1f, -0.5f, 0.125f, 0.0625f, 0.25f,
    0.5f, -0.5f, 1f, -0.75f, 0.25f, 0.875f, 0.125f, -0.0625f, 0f};
  /** U8 feature bytes of each row, then its label (< 2, so that every row fits a 2-class dataset too). */
  static final int[][] ROWS = {{51, 204, 0, 1}, {255, 0, 128, 0}, {10, 20, 255, 1}};

  private ForwardVectors() {}

  static float[] input(int[] row) {
    float[] x = new float[LAYERS[0]];
    for (int i = 0; i < x.length; i++) x[i] = ReferenceForward.u8(row[i]);
    return x;
  }

  static int label(int[] row) {
    return row[LAYERS[0]];
  }

  static ArrayNode generate() {
    ArrayNode a = F.arrayNode();
    for (int classes : new int[] {3, 2}) {
      for (int r = 0; r < ROWS.length; r++) a.add(sample(r, classes));
    }
    return a;
  }

  private static ObjectNode sample(int r, int classes) {
    int[] row = ROWS[r];
    float[] x = input(row);
    ReferenceForward.Trace t = ReferenceForward.run(LAYERS, WEIGHTS, x, classes, label(row));
    ObjectNode o = F.objectNode();
    o.put("name", "row " + r + ", " + classes + " classes");
    ArrayNode layers = o.putArray("layers");
    for (int s : LAYERS) layers.add(s);
    o.put("classes", classes);
    o.set("weights_bits", bits(WEIGHTS));
    byte[] u8 = new byte[x.length];
    for (int i = 0; i < u8.length; i++) u8[i] = (byte) row[i];
    o.put("input_u8", HEX.formatHex(u8));
    o.set("input_bits", bits(x));
    o.put("label", label(row));
    o.set("gains_bits", bits(t.gains()));
    ArrayNode ls = o.putArray("per_layer");
    for (int l = 0; l < t.acc().length; l++) {
      ObjectNode lo = ls.addObject();
      lo.set("acc_bits", bits(t.acc()[l]));
      lo.set("pre_bits", bits(t.pre()[l]));
      lo.set("out_bits", bits(t.out()[l]));
    }
    ArrayNode p = o.putArray("softmax");
    for (double v : t.softmax()) p.add(v);
    o.put("loss", t.loss());
    o.put("loss_bits", word(Float.floatToRawIntBits((float) t.loss())));
    o.put("argmax", t.argmax());
    o.put("correct", t.argmax() == label(row));
    return o;
  }

  static ArrayNode bits(float[] v) {
    ArrayNode a = F.arrayNode();
    for (float f : v) a.add(word(Float.floatToRawIntBits(f)));
    return a;
  }

  static String word(int x) {
    return String.format("%08x", x);
  }
}
