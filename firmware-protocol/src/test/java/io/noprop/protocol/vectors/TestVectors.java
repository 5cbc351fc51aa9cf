package io.noprop.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** The shared vectors file, {@code test-vectors.json}, as the tests read it. */
public final class TestVectors {
  public static final String RESOURCE = "/test-vectors.json";
  private static final HexFormat HEX = HexFormat.of();

  private TestVectors() {}

  public static String text() {
    try (InputStream in = TestVectors.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is not on the test classpath");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode root() {
    try {
      return new ObjectMapper().readTree(text());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] bytes(JsonNode hex) {
    return HEX.parseHex(hex.asText());
  }

  /** An 8-digit hex word, as the prng section writes them. */
  public static int word(JsonNode hex) {
    return Integer.parseUnsignedInt(hex.asText(), 16);
  }

  /** A {@code _bits} field: the float with that IEEE-754 bit pattern. */
  public static float f32(JsonNode hex) {
    return Float.intBitsToFloat(word(hex));
  }

  public static float[] f32s(JsonNode array) {
    float[] out = new float[array.size()];
    for (int i = 0; i < out.length; i++) out[i] = f32(array.get(i));
    return out;
  }

  /** An unsigned 32-bit decimal field (seeds), as the int that carries it. */
  public static int u32(JsonNode n) {
    return (int) n.asLong();
  }
}
