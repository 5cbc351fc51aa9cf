package io.noprop.controller.mcu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * QEMU's human monitor on a unix socket ({@code -monitor unix:PATH,server,nowait}): what a bench
 * does with a reset button and a debug probe. One command at a time; each answer ends at the next
 * {@code (qemu) } prompt.
 */
final class QemuMonitor implements AutoCloseable {
  private static final byte[] PROMPT = "(qemu) ".getBytes(StandardCharsets.US_ASCII);
  /** One line of {@code xp /Nwx}: an address, a colon, then words. */
  private static final Pattern XP_LINE = Pattern.compile("(?m)^[0-9a-f]+:((?: 0x[0-9a-f]{8})+)");
  private final SocketChannel channel;

  private QemuMonitor(SocketChannel channel) {
    this.channel = channel;
  }

  static QemuMonitor connect(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(socket));
    QemuMonitor m = new QemuMonitor(ch);
    m.readToPrompt(); // the banner
    return m;
  }

  /** Sends one command; returns what QEMU printed before the next prompt. */
  synchronized String command(String line) throws IOException {
    ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII));
    while (b.hasRemaining()) channel.write(b);
    return readToPrompt();
  }

  /** Reads {@code count} 32-bit words of physical memory. */
  long[] readWords(long address, int count) throws IOException {
    String out = command(String.format("xp /%dwx 0x%x", count, address));
    List<Long> words = new ArrayList<>();
    Matcher m = XP_LINE.matcher(out.replace("\r", ""));
    while (m.find()) {
      for (String w : m.group(1).trim().split(" ")) words.add(Long.parseLong(w.substring(2), 16));
    }
    if (words.size() != count) throw new IOException("monitor answered xp with " + words.size() + " words, expected " + count + ": " + out);
    return words.stream().mapToLong(Long::longValue).toArray();
  }

  private String readToPrompt() throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(4096);
    while (!endsWithPrompt(seen)) {
      buf.clear();
      int n = channel.read(buf);
      if (n < 0) throw new IOException("QEMU closed its monitor");
      seen.write(buf.array(), 0, n);
    }
    return seen.toString(StandardCharsets.US_ASCII);
  }

  private static boolean endsWithPrompt(ByteArrayOutputStream s) {
    byte[] b = s.toByteArray();
    if (b.length < PROMPT.length) return false;
    for (int i = 0; i < PROMPT.length; i++) {
      if (b[b.length - PROMPT.length + i] != PROMPT[i]) return false;
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
