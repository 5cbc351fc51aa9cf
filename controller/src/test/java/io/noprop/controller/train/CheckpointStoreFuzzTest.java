package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of the checkpoint reader: arbitrary bytes as {@code checkpoint.bin},
 * and, for most inputs, the real container (magic, format, lengths, named vectors) around
 * fuzzer-chosen JSON metadata and vectors, so the fuzzer reaches the metadata checks.
 * {@link CheckpointStore#load} either returns a checkpoint or throws {@link IOException} with the
 * file in its message; no unchecked exception, no allocation beyond the file's size.
 */
class CheckpointStoreFuzzTest {
  @TempDir static Path tmp; // one per class, removed by JUnit after the last input
  private static Path dir;
  private static long executions;
  private static long accepted;

  @FuzzTest(maxDuration = "2h")
  void anyCheckpointFileLoadsOrFailsWithIoException(FuzzedDataProvider in) throws IOException {
    executions++;
    if (dir == null) dir = tmp;
    CheckpointStore store = new CheckpointStore(dir);
    Files.write(store.file(), in.consumeInt(0, 3) != 3 ? container(in) : in.consumeRemainingAsBytes());
    Checkpoint c;
    try {
      c = store.load();
    } catch (IOException expected) {
      return;
    }
    accepted++;
    assertNotNull(c.model());
    assertNotNull(c.identity().describe());
    assertTrue(c.layers().length >= 2, "layers");
    assertNotNull(c.optimizer());
    assertNotNull(c.weights());
    if (c.deviceId() != null) assertNotNull(c.identity());
  }

  // The choices are arranged so that an exhausted input (the provider then answers the minimum)
  // picks the valid alternative: short inputs make whole checkpoints, and mutations break them.

  private static byte[] container(FuzzedDataProvider in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x4E50434B);
    out.writeInt(3 - in.consumeInt(0, 4)); // 3, 2, 1, 0, -1
    int n = in.consumeInt(0, 64);
    byte[] json = (in.consumeInt(0, 7) != 7 ? json(in, n) : in.consumeString(400)).getBytes(StandardCharsets.UTF_8);
    out.writeInt(in.consumeInt(0, 7) != 7 ? json.length : in.consumeInt());
    out.write(json);
    int vectors = in.consumeInt(0, 7) != 7 ? 1 + in.consumeInt(0, 1) : in.consumeInt();
    out.writeInt(vectors);
    for (int v = 0; v < Math.min(vectors, 4); v++) {
      out.writeUTF(v == 0 && in.consumeInt(0, 7) != 7 ? "weights" : in.consumeAsciiString(8));
      int count = v > 0 ? in.consumeInt(0, 8) : n;
      out.writeInt(in.consumeInt(0, 7) != 7 ? count : in.consumeInt());
      for (int i = 0; i < count; i++) out.writeFloat(in.consumeFloat());
    }
    out.write(in.consumeBytes(in.consumeInt(0, 8)));
    return bytes.toByteArray();
  }

  /** Metadata: mostly every key with a value of the right type, sometimes a key missing or of a wrong type. */
  private static String json(FuzzedDataProvider in, int n) {
    StringBuilder s = new StringBuilder("{");
    String[] keys = {"model", "device_id", "layers", "parameters", "seed", "budget", "wall_seconds", "optimizer"};
    for (String k : keys) {
      int pick = in.consumeInt(0, 15);
      if (pick == 15) continue;
      s.append('"').append(k).append("\":");
      if (pick < 11) {
        switch (k) {
          case "model", "device_id" -> s.append('"').append(in.consumeAsciiString(8).replace("\"", "").replace("\\", "")).append('"');
          case "layers" -> s.append('[').append(1 + in.consumeInt(0, 70000)).append(',').append(1 + in.consumeInt(0, 70000)).append(']');
          case "parameters" -> s.append(n);
          case "optimizer" -> s.append("{\"method\":\"spsa\",\"step\":").append(in.consumeInt(0, 100)).append(",\"queries\":1,\"nan_steps\":0,\"nan_run\":0,")
              .append("\"rejected\":0,\"gains\":[").append(in.consumeRegularDouble(-1, 1)).append("],\"guard_reference\":\"NaN\",\"guard_sigma\":1,")
              .append(in.consumeBoolean() ? "\"rule\":{\"kind\":\"none\"}}" : "\"rule\":{\"kind\":\"momentum\",\"history\":[[{\"seed\":1,\"bits\":0,\"whole\":true}]]}}");
          default -> s.append(in.consumeLong());
        }
      } else {
        switch (pick % 4) {
          case 0 -> s.append("null");
          case 1 -> s.append("\"x\"");
          case 2 -> s.append("[1,-3]");
          default -> {
            double d = in.consumeDouble();
            s.append(Double.isFinite(d) ? Double.toString(d) : "1e999");
          }
        }
      }
      s.append(',');
    }
    s.append("\"end\":0}");
    return s.toString();
  }

  @AfterAll
  static void report() {
    System.out.printf("fuzz CheckpointStore: %d executions, %d checkpoints accepted%n", executions, accepted);
  }
}
