package io.noprop.controller.mcu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The bare-metal firmware of an emulated board ({@code firmware-protocol/c/boards/BOARD}): where its
 * sources are, which tools it needs, and building it with its Makefile (arm-none-eabi-gcc and
 * picolibc, as a lab would for a real board).
 */
public final class McuFirmware {
  /** Boards with a port and a QEMU machine of the same name. */
  public static final List<String> BOARDS = List.of("mps2-an386");

  private McuFirmware() {}

  /** The board's source directory under a checkout (the directory holding firmware-protocol/). */
  public static Path boardDir(Path checkout, String board) {
    if (!BOARDS.contains(board)) throw new IllegalArgumentException("unknown board '" + board + "'; boards: " + String.join(", ", BOARDS));
    return checkout.resolve("firmware-protocol").resolve("c").resolve("boards").resolve(board);
  }

  /**
   * The checkout this runs from: {@code $NOPROP_HOME} (set by the {@code ./noprop} script), else the
   * working directory or one of its parents that holds firmware-protocol/c/boards.
   */
  public static Optional<Path> findCheckout() {
    String home = System.getenv("NOPROP_HOME");
    if (home != null && Files.isDirectory(Path.of(home, "firmware-protocol", "c", "boards"))) return Optional.of(Path.of(home).toAbsolutePath());
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("firmware-protocol").resolve("c").resolve("boards"))) return Optional.of(p);
    }
    return Optional.empty();
  }

  /** Null when make, the cross compiler and QEMU all run; else what is missing and how to install it. */
  public static String missingTools() {
    List<String> missing = new ArrayList<>();
    if (!runs("make", "--version")) missing.add("make");
    if (!runs("arm-none-eabi-gcc", "--version")) missing.add("arm-none-eabi-gcc (apt-get install gcc-arm-none-eabi picolibc-arm-none-eabi)");
    if (!runs("qemu-system-arm", "--version")) missing.add("qemu-system-arm (apt-get install qemu-system-arm)");
    return missing.isEmpty() ? null : "not installed: " + String.join(", ", missing);
  }

  private static boolean runs(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs the board's Makefile with its objects in {@code out}; returns {@code out/firmware.elf}. */
  public static Path build(Path boardDir, Path out) throws IOException, InterruptedException {
    Files.createDirectories(out);
    Process p = new ProcessBuilder("make", "-C", boardDir.toString(), "OUT=" + out.toAbsolutePath(), out.toAbsolutePath() + "/firmware.elf")
        .redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("building the firmware in " + boardDir + " took over 300 s");
    }
    if (p.exitValue() != 0) throw new IOException("building the firmware in " + boardDir + " failed:\n" + log);
    return out.resolve("firmware.elf");
  }
}
