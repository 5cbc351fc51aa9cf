package io.noprop.controller.cli;

import io.noprop.controller.mcu.BoardDiag;
import io.noprop.controller.mcu.McuFirmware;
import io.noprop.controller.mcu.QemuBoard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code noprop bench-mcu}: an emulated microcontroller bench. Builds the bare-metal firmware of a
 * board (firmware-protocol/c/boards/BOARD, arm-none-eabi-gcc), boots it in qemu-system-arm with
 * its UART on a pseudo-terminal, links the pty to {@code --link}, prints the {@code serial:} URI
 * to train on, and runs until stopped. Prints one line starting with {@code serving } when ready.
 */
@Command(name = "bench-mcu", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Run the C firmware on an emulated microcontroller (QEMU) and print the serial: URI to train on.",
        "  noprop bench-mcu --board mps2-an386",
        "  noprop train --device serial:/tmp/noprop-mps2-an386 --dataset fashion-mnist:pool7 ...",
        "Needs make, gcc-arm-none-eabi, picolibc-arm-none-eabi and qemu-system-arm. Ctrl-C stops QEMU."})
final class BenchMcuCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--board", defaultValue = "mps2-an386", paramLabel = "NAME", description = "Board: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
      completionCandidates = Boards.class)
  String board;

  @Option(names = "--link", paramLabel = "PATH", description = "Symbolic link to the board's UART pty. Default: /tmp/noprop-BOARD.")
  Path link;

  @Option(names = "--source", paramLabel = "DIR", description = "The noprop checkout holding firmware-protocol/c/boards. Default: $NOPROP_HOME, else the working directory or a parent.")
  Path source;

  static final class Boards implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
      return McuFirmware.BOARDS.iterator();
    }
  }

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    if (!McuFirmware.BOARDS.contains(board)) {
      err.println("noprop: unknown board '" + board + "'; boards: " + String.join(", ", McuFirmware.BOARDS));
      return 2;
    }
    String missing = McuFirmware.missingTools();
    if (missing != null) {
      err.println("noprop: bench-mcu needs the Arm cross compiler and QEMU; " + missing);
      return 1;
    }
    Optional<Path> checkout = source != null ? Optional.of(source) : McuFirmware.findCheckout();
    if (checkout.isEmpty() || !Files.isDirectory(McuFirmware.boardDir(checkout.get(), board))) {
      err.println("noprop: cannot find firmware-protocol/c/boards/" + board + "; run from the noprop checkout or pass --source DIR");
      return 1;
    }
    Path dir = McuFirmware.boardDir(checkout.get(), board);
    err.println("noprop: building " + dir + " (make)...");
    err.flush();
    Path elf = McuFirmware.build(dir, dir.resolve("build"));
    Path where = link != null ? link : Path.of(System.getProperty("java.io.tmpdir"), "noprop-" + board);
    Path work = Files.createTempDirectory("noprop-" + board);
    QemuBoard q = QemuBoard.start(board, elf, work, where);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> { // Ctrl-C: stop QEMU; its log is not needed then
      try {
        boolean ours = q.isAlive();
        q.close();
        if (ours) OutputDirectory.delete(work);
      } catch (Exception e) {
        // exiting anyway; QEMU goes with its monitor socket
      }
    }));
    BoardDiag d = waitForBoot(q);
    out.printf("serving %s in QEMU (UART0 on %s, boot count %s); train with --device %s; Ctrl-C stops%n", board, q.pty(),
        d == null ? "?" : Long.toString(d.bootCount()), q.uri());
    out.printf("  reset button: echo system_reset | socat - UNIX-CONNECT:%s%n", q.monitorSocket());
    out.flush();
    int code = q.waitFor();
    if (code == 0) { // asked to quit (the monitor's quit): nothing to look into
      err.println("noprop: QEMU quit");
      OutputDirectory.delete(work);
      return 0;
    }
    err.println("noprop: QEMU exited with " + code + "; its log: " + q.log());
    return 1;
  }

  /** The firmware writes its diagnostics block within microseconds of booting; a few tries cover a slow host. */
  private static BoardDiag waitForBoot(QemuBoard q) throws Exception {
    for (int i = 0; i < 50; i++) {
      BoardDiag d = q.diag();
      if (d != null) return d;
      Thread.sleep(20);
    }
    return null;
  }
}
