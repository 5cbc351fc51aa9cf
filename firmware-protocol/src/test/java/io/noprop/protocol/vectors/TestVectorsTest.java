package io.noprop.protocol.vectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.noprop.protocol.chip.BasisStore;
import io.noprop.protocol.frame.Cobs;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.frame.FrameDecoder;
import io.noprop.protocol.frame.FrameException;
import io.noprop.protocol.msg.BasisChunk;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.DirectionMask;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.GuideMix;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.prng.GuidedDirection;
import io.noprop.protocol.prng.PerturbationPrng;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Checks the Java implementation against every vector of {@code test-vectors.json}, the file a C
 * implementation checks itself against too. (The vectors are generated from this code; the
 * independent cross-check is {@code tools/check_vectors.py} and the literal values pinned in the
 * per-package tests.)
 */
class TestVectorsTest {
  private static final JsonNode V = TestVectors.root();

  @Test
  void committedFileEqualsGeneratorOutput() {
    assertEquals(TestVectorGenerator.generate(), TestVectors.text(),
        "test-vectors.json is stale: regenerate it with TestVectorGenerator (see its javadoc)");
  }

  @Test
  void crc32MatchesEveryVector() {
    for (JsonNode c : V.get("crc32")) {
      byte[] b = TestVectors.bytes(c.get("data"));
      assertEquals(TestVectors.word(c.get("crc32")), FrameCodec.crc32(b, 0, b.length), c.toString());
    }
  }

  @Test
  void cobsEncodesAndDecodesEveryVector() {
    for (JsonNode c : V.get("cobs")) {
      byte[] raw = TestVectors.bytes(c.get("raw"));
      byte[] enc = TestVectors.bytes(c.get("encoded"));
      assertArrayEquals(enc, Cobs.encode(raw), c.get("name").asText());
      assertArrayEquals(raw, Cobs.decode(enc), c.get("name").asText());
      assertTrue(enc.length <= Cobs.maxEncodedLength(raw.length), c.get("name").asText());
    }
  }

  @Test
  void cobsDecodesTheAlternativeEncodingsOtherEncodersEmit() {
    for (JsonNode c : V.get("cobs_decode_only")) {
      assertArrayEquals(TestVectors.bytes(c.get("raw")), Cobs.decode(TestVectors.bytes(c.get("encoded"))), c.get("name").asText());
    }
  }

  @Test
  void cobsRejectsEveryInvalidVector() {
    for (JsonNode c : V.get("cobs_invalid")) {
      FrameException e = assertThrows(FrameException.class, () -> Cobs.decode(TestVectors.bytes(c.get("encoded"))), c.get("name").asText());
      assertEquals(FrameException.Kind.COBS, e.kind());
    }
  }

  @Test
  void everyFrameVectorBuildsFromItsFieldsToItsRawAndWireBytes() {
    for (JsonNode f : V.get("frames")) {
      String name = f.get("name").asText();
      String message = f.get("message").asText();
      boolean reply = f.get("direction").asText().equals("reply");
      MessageType t = MessageType.valueOf(message);
      assertEquals(reply ? t.replyCode() : t.code, f.get("type").asInt(), name);
      byte[] payload = TestVectors.bytes(f.get("payload"));
      assertArrayEquals(payload, MessageFromFields.encode(message, reply, f.get("fields")), name + ": fields -> payload");
      assertArrayEquals(payload, MessageFromFields.reencode(message, reply, payload), name + ": payload -> record -> payload");
      Frame frame = new Frame(f.get("version").asInt(), f.get("type").asInt(), f.get("seq").asInt(), payload);
      byte[] raw = TestVectors.bytes(f.get("raw"));
      byte[] wire = TestVectors.bytes(f.get("wire"));
      assertArrayEquals(raw, FrameCodec.encode(frame), name + ": raw");
      assertArrayEquals(wire, FrameCodec.toWire(frame), name + ": wire");
      assertEquals(frame, FrameCodec.decode(raw), name + ": decode raw");
      List<Frame> got = new ArrayList<>();
      new FrameDecoder(0xFFFF).feed(wire, 0, wire.length, got::add, e -> { throw e; });
      assertEquals(List.of(frame), got, name + ": decode wire");
    }
  }

  @Test
  void frameVectorsCoverEveryMessageTypeAsRequestAndReply() {
    Set<String> seen = new HashSet<>();
    for (JsonNode f : V.get("frames")) seen.add(f.get("message").asText() + " " + f.get("direction").asText());
    for (MessageType t : MessageType.values()) {
      if (t == MessageType.ERROR) {
        assertTrue(seen.contains("ERROR reply"), "no ERROR vector");
      } else {
        assertTrue(seen.contains(t + " request"), "no request vector for " + t);
        assertTrue(seen.contains(t + " reply"), "no reply vector for " + t);
      }
    }
  }

  @Test
  void everyInvalidFrameVectorIsRejectedWithItsKind() {
    for (JsonNode c : V.get("frames_invalid")) {
      FrameException e = assertThrows(FrameException.class, () -> FrameCodec.decode(TestVectors.bytes(c.get("raw"))), c.get("name").asText());
      assertEquals(FrameException.Kind.valueOf(c.get("error").asText()), e.kind(), c.get("name").asText());
    }
  }

  @Test
  void prngMatchesEveryVector() {
    JsonNode p = V.get("prng");
    assertEquals(PerturbationPrng.DIRECTION, TestVectors.word(p.get("direction_domain")));
    assertEquals(PerturbationPrng.BATCH, TestVectors.word(p.get("batch_domain")));
    assertEquals(PerturbationPrng.MASK, TestVectors.word(p.get("mask_domain")));
    for (JsonNode c : p.get("mix")) {
      assertEquals(TestVectors.word(c.get("mix")), PerturbationPrng.mix(TestVectors.word(c.get("x"))), c.toString());
    }
    for (JsonNode c : p.get("key")) {
      assertEquals(TestVectors.word(c.get("key")), PerturbationPrng.key(TestVectors.word(c.get("seed")), TestVectors.word(c.get("domain"))), c.toString());
    }
    for (JsonNode c : p.get("word")) {
      assertEquals(TestVectors.word(c.get("word")), PerturbationPrng.word(TestVectors.word(c.get("key")), TestVectors.word(c.get("counter"))), c.toString());
    }
    for (JsonNode c : p.get("rademacher_first_64")) {
      int seed = TestVectors.word(c.get("seed"));
      String signs = c.get("signs").asText();
      assertEquals(64, signs.length());
      for (int n = 0; n < 64; n++) {
        assertEquals(signs.charAt(n) == '+' ? 1 : -1, PerturbationPrng.rademacher(seed, n), "seed " + c.get("seed") + " n " + n);
      }
    }
    for (JsonNode c : p.get("rademacher_at")) {
      assertEquals(c.get("z").asInt(), PerturbationPrng.rademacher(TestVectors.word(c.get("seed")), c.get("n").asInt()), c.toString());
    }
    for (JsonNode c : p.get("batch_rows")) {
      JsonNode idx = c.get("indices");
      int[] want = new int[idx.size()];
      for (int i = 0; i < want.length; i++) want[i] = idx.get(i).asInt();
      int[] got = new int[want.length];
      PerturbationPrng.batchRows(TestVectors.word(c.get("seed")), c.get("rows").asInt(), got, got.length);
      assertArrayEquals(want, got, c.toString());
    }
  }

  @Test
  void perturbedReadsMatchEveryVector() {
    for (JsonNode c : V.get("perturbed_reads")) {
      float[] w = TestVectors.f32s(c.get("weights_bits"));
      float[] want = TestVectors.f32s(c.get("expected_bits"));
      int seed = TestVectors.u32(c.get("seed"));
      float a = c.get("sign").asInt() * TestVectors.f32(c.get("scale_bits"));
      float[] got = new float[w.length];
      PerturbationPrng.perturbInto(w, got, w.length, seed, a);
      assertBitsEqual(want, got, c.get("name").asText());
      // Element by element, the way a firmware without word-at-a-time tricks computes it.
      for (int n = 0; n < w.length; n++) got[n] = w[n] + a * PerturbationPrng.rademacher(seed, n);
      assertBitsEqual(want, got, c.get("name").asText() + " (elementwise)");
    }
  }

  @Test
  void updatesMatchEveryVector() {
    for (JsonNode c : V.get("updates")) {
      float[] w = TestVectors.f32s(c.get("weights_bits"));
      float lo = TestVectors.f32(c.get("weight_min_bits"));
      float hi = TestVectors.f32(c.get("weight_max_bits"));
      for (JsonNode t : c.get("terms")) {
        int seed = TestVectors.u32(t.get("seed"));
        float coefficient = TestVectors.f32(t.get("coefficient_bits"));
        for (int n = 0; n < w.length; n++) w[n] = w[n] + coefficient * PerturbationPrng.rademacher(seed, n);
      }
      long clipped = 0;
      for (int n = 0; n < w.length; n++) {
        if (w[n] < lo || w[n] > hi) clipped++;
        w[n] = Math.min(hi, Math.max(lo, w[n]));
      }
      assertBitsEqual(TestVectors.f32s(c.get("expected_bits")), w, c.get("name").asText());
      assertEquals(c.get("clipped").asLong(), clipped, c.get("name").asText());
    }
  }

  /** z_n of distribution MASKED from the formula of PROTOCOL.md 9.1, entry by entry. */
  private static int maskedZ(int seed, DirectionMask m, int n) {
    if (n < m.offset() || n - m.offset() >= m.length()) return 0;
    int keep = (PerturbationPrng.word(PerturbationPrng.key(seed, PerturbationPrng.MASK), n >>> 2) >>> (8 * (n & 3))) & 0xFF;
    return keep <= m.density() ? PerturbationPrng.rademacher(seed, n) : 0;
  }

  @Test
  void maskedDirectionsMatchEveryVector() {
    JsonNode cases = V.get("prng").get("masked_z");
    assertTrue(cases.size() >= 25, "masked_z vectors: " + cases.size());
    Set<Integer> densities = new HashSet<>();
    for (JsonNode c : cases) {
      int seed = TestVectors.word(c.get("seed"));
      DirectionMask m = MessageFromFields.mask(c);
      densities.add(m.density());
      String z = c.get("z").asText();
      assertEquals(m.length(), z.length(), c.toString());
      for (int i = 0; i < m.length(); i++) {
        int want = z.charAt(i) == '+' ? 1 : z.charAt(i) == '-' ? -1 : 0;
        assertEquals(want, maskedZ(seed, m, m.offset() + i), "seed " + c.get("seed") + " mask " + m + " entry " + (m.offset() + i));
      }
      if (m.density() == DirectionMask.DENSE) assertTrue(z.indexOf('0') < 0, "a dense block keeps every entry: " + c);
      if ((long) m.offset() + m.length() <= 1 << 21) {
        float[] w = new float[m.offset() + m.length()];
        m.addTo(w, w.length, seed, 1f);
        for (int n = 0; n < w.length; n++) assertEquals(maskedZ(seed, m, n), (int) w[n], "addTo, " + m + " entry " + n);
      }
    }
    assertEquals(Set.of(0, 31, 127, 254, 255), densities);
  }

  @Test
  void maskedPerturbedReadsMatchEveryVector() {
    for (JsonNode c : V.get("masked_perturbed_reads")) {
      float[] w = TestVectors.f32s(c.get("weights_bits"));
      float[] want = TestVectors.f32s(c.get("expected_bits"));
      int seed = TestVectors.u32(c.get("seed"));
      DirectionMask m = MessageFromFields.mask(c);
      float a = c.get("sign").asInt() * TestVectors.f32(c.get("scale_bits"));
      float[] got = w.clone();
      m.addTo(got, got.length, seed, a);
      assertBitsEqual(want, got, c.get("name").asText());
      for (int n = 0; n < w.length; n++) {
        int z = maskedZ(seed, m, n);
        got[n] = z == 0 ? w[n] : w[n] + a * z;
      }
      assertBitsEqual(want, got, c.get("name").asText() + " (elementwise)");
    }
  }

  @Test
  void maskedUpdatesMatchEveryVector() {
    JsonNode cases = V.get("masked_updates");
    assertTrue(cases.size() >= 5);
    for (JsonNode c : cases) {
      float[] w = TestVectors.f32s(c.get("weights_bits"));
      float lo = TestVectors.f32(c.get("weight_min_bits"));
      float hi = TestVectors.f32(c.get("weight_max_bits"));
      for (JsonNode t : c.get("terms")) {
        int seed = TestVectors.u32(t.get("seed"));
        float coefficient = TestVectors.f32(t.get("coefficient_bits"));
        DirectionMask m = MessageFromFields.mask(t);
        for (int n = 0; n < w.length; n++) {
          int z = maskedZ(seed, m, n);
          if (z != 0) w[n] = w[n] + coefficient * z;
        }
      }
      long clipped = 0;
      for (int n = 0; n < w.length; n++) {
        if (w[n] < lo || w[n] > hi) clipped++;
        w[n] = Math.min(hi, Math.max(lo, w[n]));
      }
      assertBitsEqual(TestVectors.f32s(c.get("expected_bits")), w, c.get("name").asText());
      assertEquals(c.get("clipped").asLong(), clipped, c.get("name").asText());
    }
  }

  private static float[][] basis(JsonNode c) {
    float[][] b = new float[c.get("basis_bits").size()][];
    for (int j = 0; j < b.length; j++) b[j] = TestVectors.f32s(c.get("basis_bits").get(j));
    return b;
  }

  private static GuideMix guide(JsonNode c) {
    return new GuideMix(c.get("vectors").asInt(), TestVectors.f32(c.get("full_bits")), TestVectors.f32(c.get("guided_bits")));
  }

  /** A chip's store holding {@code basis}, written in chunks of 7 as BASIS_WRITE would. */
  private static BasisStore store(float[][] basis) {
    BasisStore s = new BasisStore(basis.length, basis[0].length);
    for (int j = 0; j < basis.length; j++) {
      for (int off = 0; off < basis[j].length; off += 7) {
        s.write(BasisChunk.decode(new BasisChunk(j, off, Arrays.copyOfRange(basis[j], off, Math.min(basis[j].length, off + 7))).encode()));
      }
    }
    return s;
  }

  @Test
  void guidedPerturbedReadsMatchEveryVector() {
    JsonNode cases = V.get("guided_perturbed_reads");
    assertTrue(cases.size() >= 5);
    for (JsonNode c : cases) {
      float[] w = TestVectors.f32s(c.get("weights_bits"));
      float[] want = TestVectors.f32s(c.get("expected_bits"));
      int seed = TestVectors.u32(c.get("seed"));
      GuideMix m = guide(c);
      float[][] basis = basis(c);
      assertEquals(c.get("guide_signs").asText(), String.format("%08x", GuidedDirection.basisSigns(seed)), c.get("name").asText());
      Perturbation p = Perturbation.guided(seed, m, c.get("sign").asInt(), TestVectors.f32(c.get("scale_bits")));
      // through the wire form of EVALUATE and a chip's store
      Perturbation sent = EvaluateRequest.decode(new EvaluateRequest(0, BatchSelector.range(0, 1), p).encode()).perturbation();
      float[] got = new float[w.length];
      store(basis).perturbInto(w, got, sent);
      assertBitsEqual(want, got, c.get("name").asText());
      for (int n = 0; n < w.length; n++) got[n] = w[n] + p.amplitude() * GuidedDirection.entry(seed, n, m.vectors(), m.full(), m.guided(), basis);
      assertBitsEqual(want, got, c.get("name").asText() + " (elementwise)");
    }
  }

  @Test
  void guidedUpdatesMatchEveryVector() {
    JsonNode cases = V.get("guided_updates");
    assertTrue(cases.size() >= 4);
    for (JsonNode c : cases) {
      float[] w = TestVectors.f32s(c.get("weights_bits"));
      float lo = TestVectors.f32(c.get("weight_min_bits"));
      float hi = TestVectors.f32(c.get("weight_max_bits"));
      GuideMix m = guide(c);
      float[][] basis = basis(c);
      List<SeedTerm> terms = new ArrayList<>();
      for (JsonNode t : c.get("terms")) terms.add(new SeedTerm(TestVectors.u32(t.get("seed")), TestVectors.f32(t.get("coefficient_bits")), DirectionMask.WHOLE, m));
      UpdateRequest sent = UpdateRequest.decode(UpdateRequest.of(terms).encode());
      assertEquals(Distribution.GUIDED, sent.distribution());
      float[] got = w.clone();
      long clipped = UpdateRequest.apply(got, sent.terms(), store(basis).vectors(), lo, hi);
      assertBitsEqual(TestVectors.f32s(c.get("expected_bits")), got, c.get("name").asText());
      assertEquals(c.get("clipped").asLong(), clipped, c.get("name").asText());
    }
  }

  @Test
  void frameVectorsIncludeMaskedEvaluateAndUpdate() {
    int masked = 0;
    for (JsonNode f : V.get("frames")) {
      JsonNode d = f.get("fields").get("distribution");
      if (d != null && d.asInt() == 2 && f.get("direction").asText().equals("request")) masked++;
    }
    assertEquals(2, masked, "MASKED EVALUATE and UPDATE request vectors");
  }

  @Test
  void spsaStepTotalIsTheSumOfItsFrames() {
    JsonNode step = V.get("spsa_step");
    List<String> names = new ArrayList<>();
    step.get("frames").forEach(n -> names.add(n.asText()));
    assertEquals(TestVectorGenerator.SPSA_FRAMES, names);
    int total = 0;
    for (JsonNode f : V.get("frames")) if (names.contains(f.get("name").asText())) total += f.get("wire").asText().length() / 2;
    assertEquals(step.get("total_wire_bytes").asInt(), total);
    assertEquals(146, total, "an SPSA step is 2 x (30 + 24) + 22 + 16 wire bytes");
  }

  /** PROTOCOL.md shows the SPSA step byte by byte; it must be the bytes the code sends. */
  @Test
  void protocolDocumentShowsTheSpsaFramesExactly() throws IOException {
    String doc = Files.readString(Path.of("PROTOCOL.md"), StandardCharsets.UTF_8).replaceAll("\\s+", "").toLowerCase();
    for (JsonNode f : V.get("frames")) {
      if (!TestVectorGenerator.SPSA_FRAMES.contains(f.get("name").asText())) continue;
      assertTrue(doc.contains(f.get("wire").asText()), "PROTOCOL.md lacks the wire bytes of " + f.get("name").asText());
      assertTrue(doc.contains(f.get("raw").asText()), "PROTOCOL.md lacks the raw bytes of " + f.get("name").asText());
    }
  }

  private static void assertBitsEqual(float[] want, float[] got, String what) {
    assertEquals(want.length, got.length, what);
    for (int i = 0; i < want.length; i++) {
      assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
          what + " at " + i + ": want " + want[i] + " (" + HexFormat.of().toHexDigits(Float.floatToRawIntBits(want[i])) + "), got " + got[i]);
    }
  }
}
