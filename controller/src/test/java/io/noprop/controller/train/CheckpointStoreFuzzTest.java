package io.noprop.controller.train;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzzing of the checkpoint reader: arbitrary bytes as {@code checkpoint.bin},
 * and, for most inputs, the real container (magic, format, lengths) around fuzzer-chosen JSON
 * metadata and weights, so the fuzzer reaches the metadata checks. {@link CheckpointStore#load}
 * either returns a checkpoint or throws {@link IOException} with the file in its message; no
 * unchecked exception, no allocation beyond the file's size.
 */
class CheckpointStoreFuzzTest {
  private static Path dir;
  private static long executions;
  private static long accepted;

  @FuzzTest(maxDuration = "2h")
  void anyCheckpointFileLoadsOrFailsWithIoException(FuzzedDataProvider in) throws IOException {
    executions++;
    if (dir == null) dir = Files.createTempDirectory("ckpt-fuzz");
    CheckpointStore store = new CheckpointStore(dir);
    Files.write(store.file(), in.consumeBoolean() ? container(in) : in.consumeRemainingAsBytes());
    Checkpoint c;
    try {
      c = store.load();
    } catch (IOException expected) {
      return;
    }
    accepted++;
    assertNotNull(c.model());
    assertNotNull(c.layers());
    assertNotNull(c.weights());
  }

  private static byte[] container(FuzzedDataProvider in) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    out.writeInt(0x4E50434B);
    out.writeInt(in.consumeInt(0, 3));
    byte[] json = (in.consumeBoolean() ? validJson(in) : in.consumeString(400)).getBytes(StandardCharsets.UTF_8);
    out.writeInt(in.consumeBoolean() ? json.length : in.consumeInt());
    out.write(json);
    int n = in.consumeInt(0, 64);
    out.writeInt(in.consumeBoolean() ? n : in.consumeInt());
    for (int i = 0; i < n; i++) out.writeFloat(in.consumeFloat());
    out.write(in.consumeRemainingAsBytes());
    return bytes.toByteArray();
  }

  /** Metadata of the right shape: mostly values of the right type, sometimes of a wrong one or missing. */
  private static String validJson(FuzzedDataProvider in) {
    StringBuilder s = new StringBuilder("{");
    String[] keys = {"model", "device_id", "layers", "parameters", "seed", "budget", "step", "queries", "nan_steps", "a", "A", "alpha", "c", "gamma", "wall_seconds"};
    for (String k : keys) {
      int pick = in.consumeInt(0, 15);
      if (pick == 0) continue;
      s.append('"').append(k).append("\":");
      int kind = pick > 5 ? (k.equals("model") || k.equals("device_id") ? 0 : k.equals("layers") ? 1 : 3) : pick % 5;
      switch (kind) {
        case 0 -> s.append('"').append(in.consumeAsciiString(8).replace("\"", "").replace("\\", "")).append('"');
        case 1 -> s.append('[').append(in.consumeInt(-2, 70000)).append(',').append(in.consumeInt(-2, 70000)).append(']');
        case 2 -> s.append("null");
        case 3 -> {
          double d = in.consumeDouble();
          s.append(Double.isFinite(d) ? Double.toString(d) : "1e999");
        }
        default -> s.append(in.consumeLong());
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
