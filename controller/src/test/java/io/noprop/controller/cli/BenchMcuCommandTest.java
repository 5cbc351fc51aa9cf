package io.noprop.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.noprop.controller.mcu.McuFirmware;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchMcuCommandTest {
  @TempDir Path tmp;

  @Test
  void anUnknownBoardIsABadUsageThatListsTheBoards() {
    StringWriter err = new StringWriter();
    int code = NopropCommand.execute(new String[] {"bench-mcu", "--board", "stm32-nope"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
    assertEquals(2, code);
    assertTrue(err.toString().contains("mps2-an386"), err.toString());
  }

  @Test
  void benchMcuPrintsASerialUriThatAnswersHelloAndStopsWhenQemuQuits() throws Exception {
    String missing = McuFirmware.missingTools();
    if (missing != null) {
      if ("true".equals(System.getenv("CI"))) fail("bench-mcu needs the cross compiler and QEMU under CI=true: " + missing);
      Assumptions.abort("skipped: " + missing);
    }
    Path checkout = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
    Path link = tmp.resolve("board");
    PipedWriter sink = new PipedWriter();
    BufferedReader lines = new BufferedReader(new PipedReader(sink, 1 << 16));
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> NopropCommand.execute(
        new String[] {"bench-mcu", "--board", "mps2-an386", "--source", checkout.toString(), "--link", link.toString()},
        new PrintWriter(sink, true), new PrintWriter(new StringWriter(), true)));
    String serving = lines.readLine();
    String reset = lines.readLine();
    assertTrue(serving != null && serving.startsWith("serving mps2-an386") && serving.contains("--device serial:" + link), serving);
    try (Device d = Devices.open("serial:" + link)) {
      assertEquals("mcu:mps2-an386", d.info().model());
    }
    Matcher m = Pattern.compile("UNIX-CONNECT:(\\S+)").matcher(reset);
    assertTrue(m.find(), reset);
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) { // what the printed recipe does, with quit
      ch.connect(UnixDomainSocketAddress.of(m.group(1)));
      ch.write(ByteBuffer.wrap("quit\n".getBytes(StandardCharsets.US_ASCII)));
      assertEquals(0, run.get(60, TimeUnit.SECONDS));
    }
  }
}
