package io.noprop.controller.mcu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An emulated board running the bare-metal firmware: {@code qemu-system-arm -M BOARD} with UART0 on
 * a pseudo-terminal, a symbolic link {@code link} to it (what {@code serial:} opens), and the
 * monitor on a unix socket for a reset button and debugger reads.
 *
 * <p>Every start passes a fresh random launch nonce ({@code -device loader}) that the firmware
 * takes as its boot count at power-up, so a board started again never repeats the boot count a
 * controller saw from the one before; a {@link #reset()} keeps RAM and counts up by one.
 */
public final class QemuBoard implements AutoCloseable {
  private static final Pattern PTY = Pattern.compile("char device redirected to (/dev/pts/\\d+) \\(label serial0\\)");
  /** linker.ld: np_launch_nonce, the last word of RAM. */
  private static final long NONCE_ADDRESS = 0x203F_FFFCL;
  private final Process process;
  private final Path link;
  private final Path log;
  private final String pty;
  private final Path socket;

  private QemuBoard(Process process, Path link, Path log, String pty, Path socket) {
    this.process = process;
    this.link = link;
    this.log = log;
    this.pty = pty;
    this.socket = socket;
  }

  /**
   * Starts {@code board} on {@code elf}; {@code dir} receives the monitor socket and QEMU's log,
   * {@code link} becomes a symbolic link to the UART's pty. Returns once the link exists and the
   * monitor answers.
   */
  public static QemuBoard start(String board, Path elf, Path dir, Path link) throws IOException, InterruptedException {
    if (!McuFirmware.BOARDS.contains(board)) throw new IllegalArgumentException("unknown board '" + board + "'; boards: " + McuFirmware.BOARDS);
    Files.createDirectories(dir);
    Path socket = dir.resolve("monitor.sock");
    Path log = dir.resolve("qemu.log");
    Files.deleteIfExists(socket);
    int nonce = new SecureRandom().nextInt();
    if (nonce == 0) nonce = 1;
    List<String> cmd = List.of("qemu-system-arm", "-M", board, "-display", "none", "-nodefaults",
        "-serial", "pty", "-monitor", "unix:" + socket + ",server,nowait",
        "-kernel", elf.toAbsolutePath().toString(),
        "-device", String.format("loader,addr=0x%x,data=0x%08x,data-len=4", NONCE_ADDRESS, nonce));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      String pty = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (pty == null || !Files.exists(socket)) {
        if (!p.isAlive()) throw new IOException("qemu-system-arm exited with " + p.exitValue() + ": " + Files.readString(log));
        if (System.nanoTime() > deadline) throw new IOException("qemu-system-arm did not open its UART pty and monitor within 30 s: " + Files.readString(log));
        Matcher m = PTY.matcher(Files.readString(log));
        if (m.find()) pty = m.group(1);
        Thread.sleep(10);
      }
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, Path.of(pty));
      QemuBoard b = new QemuBoard(p, link, log, pty, socket);
      b.monitor("info status"); // answers once QEMU listens
      return b;
    } catch (IOException | InterruptedException | RuntimeException e) {
      p.destroyForcibly();
      throw e;
    }
  }

  /** The device URI to train on. */
  public String uri() {
    return "serial:" + link;
  }

  public Path link() {
    return link;
  }

  /** The pseudo-terminal QEMU opened for UART0. */
  public String pty() {
    return pty;
  }

  /** QEMU's monitor socket: {@code socat - UNIX-CONNECT:PATH} gives a human its prompt. */
  public Path monitorSocket() {
    return socket;
  }

  public Path log() {
    return log;
  }

  /** Presses the reset button: QEMU's system_reset (the CPU restarts from the vector table, RAM stays). */
  public void reset() throws IOException {
    monitor("system_reset");
  }

  /** The firmware's diagnostics block; null before the firmware wrote it. */
  public synchronized BoardDiag diag() throws IOException {
    try (QemuMonitor m = QemuMonitor.connect(socket)) {
      return BoardDiag.of(m.readWords(BoardDiag.ADDRESS, 8));
    }
  }

  /** Any monitor command (e.g. {@code info registers}, {@code xp /4wx 0x40004000}); returns what QEMU printed. */
  public synchronized String monitor(String command) throws IOException {
    // QEMU serves one monitor client at a time: connect per command, so that a human can use the
    // same socket (the reset recipe bench-mcu prints) while this board object lives.
    try (QemuMonitor m = QemuMonitor.connect(socket)) {
      return m.command(command);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for QEMU to exit (for the CLI: it runs until stopped). */
  public int waitFor() throws InterruptedException {
    return process.waitFor();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (process.isAlive()) monitor("quit");
    } catch (IOException e) {
      // QEMU quits as the monitor closes, or is already gone: fall through to the kill below
    } finally {
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
      Files.deleteIfExists(link);
    }
  }
}
