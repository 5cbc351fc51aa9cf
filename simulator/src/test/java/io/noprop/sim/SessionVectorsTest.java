package io.noprop.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.protocol.chip.ChipEndpoint;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameDecoder;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.ErrorReply;
import io.noprop.protocol.msg.MessageType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator on the {@code ideal} preset against the {@code forward} and {@code chip_sessions}
 * sections of firmware-protocol's test-vectors.json: the forward function of PROTOCOL.md section
 * 7.1 (loss bits and correct counts through EVALUATE, over all outputs and over fewer classes),
 * STATS at 0 after RESET, the error codes and the reserved seq, exactly as the C example and the
 * Python checker must answer them.
 */
class SessionVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Path VECTORS = Path.of(System.getProperty("basedir", "."))
      .resolveSibling("firmware-protocol/src/test/resources/test-vectors.json").toAbsolutePath().normalize();

  private static JsonNode vectors() throws Exception {
    return new ObjectMapper().readTree(Files.readString(VECTORS));
  }

  private static String layers(JsonNode session) {
    List<String> l = new ArrayList<>();
    session.get("layers").forEach(n -> l.add(n.asText()));
    return String.join("-", l);
  }

  @Test
  void theIdealSimulatorAnswersEverySessionExchangeAsTheVectorsSay() throws Exception {
    int checked = 0;
    for (JsonNode s : vectors().get("chip_sessions")) {
      AnalogChip chip = TestChips.chip("ideal", "layers", layers(s));
      assertEquals(s.get("dataset_slots").asInt(), chip.hello().datasetSlots());
      ChipEndpoint endpoint = new ChipEndpoint(chip);
      FrameDecoder replies = new FrameDecoder(0xFFFF);
      for (JsonNode x : s.get("exchanges")) {
        String what = s.get("name").asText() + " / " + x.get("name").asText();
        byte[] wire = HEX.parseHex(x.get("request_wire").asText());
        byte[] out = endpoint.onBytes(wire, 0, wire.length);
        List<Frame> got = new ArrayList<>();
        replies.feed(out, 0, out.length, got::add, e -> { throw e; });
        assertEquals(1, got.size(), what);
        Frame r = got.get(0);
        boolean lacks = x.has("capability") && !chip.hello().has(Capability.valueOf(x.get("capability").asText()));
        if (lacks) {
          assertEquals(ErrorCode.NOT_SUPPORTED, ErrorReply.decode(r.payload()).knownCode(), what);
          continue;
        }
        assertEquals(x.get("reply_type").asInt(), r.type(), what + ": " + r);
        assertEquals(x.get("reply_seq").asInt(), r.seq(), what);
        if (x.has("error_code")) {
          assertEquals(x.get("error_code").asInt(), ErrorReply.decode(r.payload()).code(), what + ": " + ErrorReply.decode(r.payload()));
        } else if (x.has("reply_payload")) {
          assertEquals(x.get("reply_payload").asText(), HEX.formatHex(r.payload()), what);
        }
        checked++;
      }
    }
    assertTrue(checked >= 25, "only " + checked + " exchanges checked");
  }

  @Test
  void theSessionsEvaluateTheForwardSectionsRowsWithItsLosses() throws Exception {
    JsonNode v = vectors();
    // The EVALUATE replies above are only as good as their link to the worked example: the mean
    // of the forward section's per-row losses, rounded to binary32.
    for (int classes : new int[] {3, 2}) {
      double sum = 0;
      int right = 0;
      for (JsonNode c : v.get("forward")) {
        if (c.get("classes").asInt() != classes) continue;
        sum += c.get("loss").asDouble();
        right += c.get("correct").asBoolean() ? 1 : 0;
      }
      String want = String.format("%08x", Integer.reverseBytes(Float.floatToRawIntBits((float) (sum / 3))));
      boolean found = false;
      for (JsonNode x : v.get("chip_sessions").get(0).get("exchanges")) {
        if (x.get("reply_type").asInt() == MessageType.EVALUATE.replyCode() && x.get("name").asText().endsWith(classes + " classes")) {
          String p = x.get("reply_payload").asText();
          assertEquals(want, p.substring(0, 8), "loss over " + classes + " classes");
          assertEquals(right, Integer.parseInt(p.substring(8, 10), 16), "correct over " + classes + " classes");
          found = true;
        }
      }
      assertTrue(found, "no EVALUATE over " + classes + " classes in the sessions");
    }
  }
}
