package io.noprop.calibration;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Coverage-guided fuzzing of the profile reader: arbitrary text as {@code profile.json}, and for
 * most inputs a profile of the right shape with fuzzer-chosen values and types. {@link
 * CalibrationProfile#read} either returns a profile whose suggested scale the trainer can use
 * (finite, positive) or throws {@link IOException} naming the file; nothing unchecked escapes.
 */
class CalibrationProfileFuzzTest {
  @TempDir static Path tmp; // one per class, removed by JUnit after the last input
  private static Path file;
  private static long executions;
  private static long accepted;

  @FuzzTest(maxDuration = "2h")
  void anyProfileLoadsOrFailsWithIoException(FuzzedDataProvider in) throws IOException {
    executions++;
    if (file == null) file = tmp.resolve("profile.json");
    String text = in.consumeInt(0, 3) != 3 ? shaped(in) : in.consumeRemainingAsString();
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
    CalibrationProfile p;
    try {
      p = CalibrationProfile.read(file);
    } catch (IOException expected) {
      return;
    }
    accepted++;
    double s = p.recommendedScale().orElse(1.0);
    assertTrue(Double.isFinite(s) && s > 0, "recommended scale " + s);
  }

  // The choices are arranged so that an exhausted input (the provider then answers the minimum)
  // picks the valid alternative: short inputs make whole profiles, and mutations break them.

  private static String shaped(FuzzedDataProvider in) {
    String probe = "{\"scale\":" + num(in) + ",\"median_abs_diff\":" + num(in) + ",\"snr\":" + num(in) + "}";
    String nf = "{\"batch\":" + num(in) + ",\"repeats\":" + num(in) + ",\"loss_mean\":" + num(in) + ",\"loss_std\":" + num(in)
        + ",\"margin\":" + num(in) + ",\"suggested_scale\":" + num(in) + ",\"queries\":" + num(in)
        + ",\"scales\":" + (in.consumeInt(0, 7) != 7 ? "[" + probe + "]" : value(in)) + "}";
    return "{\"format_version\":" + (in.consumeInt(0, 7) != 7 ? "1" : value(in)) + ",\"device_uri\":" + str(in) + ",\"device_id\":" + str(in)
        + ",\"model\":" + str(in) + ",\"created_at\":" + str(in) + ",\"noise_floor\":" + (in.consumeInt(0, 7) != 7 ? nf : value(in)) + "}";
  }

  /** Mostly a positive number, sometimes any double, sometimes anything. */
  private static String num(FuzzedDataProvider in) {
    int pick = in.consumeInt(0, 7);
    if (pick == 7) return value(in);
    double d = pick == 6 ? in.consumeDouble() : in.consumeRegularDouble(1e-6, 100);
    return Double.isFinite(d) ? Double.toString(d) : "1e999";
  }

  private static String str(FuzzedDataProvider in) {
    return in.consumeInt(0, 7) != 7 ? "\"" + in.consumeAsciiString(6).replace("\"", "").replace("\\", "") + "\"" : value(in);
  }

  private static String value(FuzzedDataProvider in) {
    return switch (in.consumeInt(0, 6)) {
      case 0 -> "null";
      case 1 -> "\"" + in.consumeAsciiString(6).replace("\"", "").replace("\\", "") + "\"";
      case 2 -> "\"Infinity\"";
      case 3 -> Long.toString(in.consumeLong());
      case 4 -> "[]";
      case 5 -> "{}";
      default -> {
        double d = in.consumeDouble();
        yield Double.isFinite(d) ? Double.toString(d) : "1e999";
      }
    };
  }

  @AfterAll
  static void report() {
    System.out.printf("fuzz CalibrationProfile: %d executions, %d profiles accepted%n", executions, accepted);
  }
}
