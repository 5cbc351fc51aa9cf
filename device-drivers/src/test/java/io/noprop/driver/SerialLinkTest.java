package io.noprop.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fazecast.jSerialComm.SerialPort;
import io.noprop.driver.serial.Relay;
import io.noprop.driver.serial.SerialChipServer;
import io.noprop.driver.serial.SerialPorts;
import io.noprop.driver.serial.SocatPair;
import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameDecoder;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.prng.PerturbationPrng;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/** The serial link through real pseudo-terminals (socat), the chip served by {@link SerialChipServer}. */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
@Timeout(120) // a guard against a hang, never a pass condition
class SerialLinkTest {
  private static final String FAST = "?timeout_ms=300&attempts=4&reconnect_s=10";

  @TempDir Path tmp;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
  }

  private <T extends AutoCloseable> T keep(T c) {
    cleanup.add(c);
    return c;
  }

  /** The chip served on {@code chipEnd}, reached at {@code hostEnd}; stopped after the test. */
  private ServedChip<SerialChipServer> serve(FakeChip chip, String chipEnd, String hostEnd) {
    return keep(ServedChip.onLine(chip, chipEnd, hostEnd));
  }

  private static UpdateRequest update(int seed, float coeff) {
    return new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(seed, coeff)));
  }

  @Test
  void pingAndUpdateCrossAPtyAndEveryByteIsCounted() throws Exception {
    SocatPair pair = keep(SocatPair.start(tmp, "p"));
    FakeChip chip = FakeChip.small();
    ServedChip<SerialChipServer> served = serve(chip, pair.b(), pair.a());
    Device d = keep(Devices.open(served.uri() + FAST));
    assertEquals("fake-0", d.info().deviceId());
    d.ping(new byte[] {1, 2, 3, 0, 5});
    d.update(update(7, 0.25f));
    assertEquals(1, chip.updates);
    WireStats w = d.wireStats();
    // Everything the controller sent (flush byte included) is what the chip's parser saw.
    // the flush byte needs no reply, so the chip may count it after the last reply arrived: wait for it
    // (the class timeout guards a hang)
    while (served.server().endpoint().parserStats().bytes() < w.bytesSent()) Thread.sleep(5);
    assertEquals(w.bytesSent(), served.server().endpoint().parserStats().bytes());
    assertTrue(w.bytesReceived() > 0 && w.retries() == 0, w.toString());
  }

  @Test
  void aMissingPortIsNamed() {
    String path = tmp.resolve("ttyNOPE").toString();
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("serial:" + path));
    assertEquals(DeviceException.Kind.PORT_UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().startsWith("no such port: " + path), e.getMessage());
  }

  @Test
  void aRegularFileOrDevNullIsNotASerialPortNotABusyOne() throws Exception {
    Path file = java.nio.file.Files.writeString(tmp.resolve("notes.txt"), "not a port");
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("serial:" + file));
    assertEquals(DeviceException.Kind.PORT_UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().startsWith("not a serial port: " + file + " is a regular file"), e.getMessage());
    DeviceException devNull = assertThrows(DeviceException.class, () -> Devices.open("serial:/dev/null"));
    assertTrue(devNull.getMessage().startsWith("not a serial port: /dev/null is not a terminal"), devNull.getMessage());
  }

  @Test
  void aPortAlreadyOpenIsReportedBusy() {
    SocatPair pair = keep(SocatPair.start(tmp, "p"));
    SerialPort held = SerialPorts.open(pair.a(), 921600);
    keep(held::closePort);
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("serial:" + pair.a() + FAST));
    assertEquals(DeviceException.Kind.PORT_UNAVAILABLE, e.kind());
    assertTrue(e.getMessage().startsWith("port busy: " + pair.a()), e.getMessage());
  }

  @Test
  void aPeerAnsweringGarbageIsNotANopropChip() throws Exception {
    SocatPair pair = keep(SocatPair.start(tmp, "p"));
    SerialPort peer = SerialPorts.open(pair.b(), 921600);
    AtomicBoolean run = new AtomicBoolean(true);
    Thread t = new Thread(() -> {
      byte[] in = new byte[256];
      byte[] banner = "\r\nBoot v2.3 OK\r\n> login: \u0000garbage\u0000".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      while (run.get()) {
        if (peer.readBytes(in, in.length) > 0) SerialPorts.writeFully(peer, banner); // answers everything with text
      }
    });
    t.start();
    keep(() -> {
      run.set(false);
      t.join(2000);
      peer.closePort();
    });
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("serial:" + pair.a() + "?timeout_ms=200&attempts=2"));
    assertEquals(DeviceException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().startsWith("the device on " + pair.a() + " is not a noprop chip"), e.getMessage());
  }

  @Test
  void aPeerSpeakingProtocolVersion2IsRefused() throws Exception {
    SocatPair pair = keep(SocatPair.start(tmp, "p"));
    serve(new FakeChip(2, 100, 1 << 20, 4, 3, 2), pair.b(), pair.a());
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("serial:" + pair.a() + FAST));
    assertEquals(DeviceException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().startsWith("protocol version 2 not supported: serial:" + pair.a()), e.getMessage());
  }

  @Test
  void silenceOnThePortSaysWhatToCheck() {
    SocatPair pair = keep(SocatPair.start(tmp, "p"));
    DeviceException e = assertThrows(DeviceException.class, () -> Devices.open("serial:" + pair.a() + "?timeout_ms=100&attempts=2&baud=115200"));
    assertEquals(DeviceException.Kind.TIMEOUT, e.kind());
    assertTrue(e.getMessage().contains("nothing answered HELLO on " + pair.a()) && e.getMessage().contains("baud=115200"), e.getMessage());
  }

  /** Flips bits, drops bytes and inserts garbage (zeros included) in ~1 chunk in 8, both ways. */
  private static java.util.function.UnaryOperator<byte[]> faults(long seed, AtomicInteger count) {
    SplittableRandom r = new SplittableRandom(seed);
    return chunk -> {
      if (r.nextInt(8) != 0) return chunk;
      count.incrementAndGet();
      switch (r.nextInt(3)) {
        case 0 -> chunk[r.nextInt(chunk.length)] ^= (byte) (1 << r.nextInt(8));
        case 1 -> {
          int i = r.nextInt(chunk.length);
          byte[] out = new byte[chunk.length - 1];
          System.arraycopy(chunk, 0, out, 0, i);
          System.arraycopy(chunk, i + 1, out, i, chunk.length - i - 1);
          return out;
        }
        default -> {
          byte[] junk = new byte[1 + r.nextInt(12)];
          r.nextBytes(junk);
          junk[r.nextInt(junk.length)] = 0;
          int i = r.nextInt(chunk.length + 1);
          byte[] out = new byte[chunk.length + junk.length];
          System.arraycopy(chunk, 0, out, 0, i);
          System.arraycopy(junk, 0, out, i, junk.length);
          System.arraycopy(chunk, i, out, i + junk.length, chunk.length - i);
          return out;
        }
      }
      return chunk;
    };
  }

  @Test
  void bitFlipsDroppedBytesAndGarbageAreSurvivedAndNoUpdateIsAppliedTwice() throws Exception {
    SocatPair hostPair = keep(SocatPair.start(tmp, "host"));
    SocatPair chipPair = keep(SocatPair.start(tmp, "chip"));
    FakeChip chip = FakeChip.small();
    serve(chip, chipPair.b(), hostPair.a());
    AtomicInteger up = new AtomicInteger();
    AtomicInteger down = new AtomicInteger();
    AtomicBoolean on = new AtomicBoolean(false);
    var upFaults = faults(1, up);
    var downFaults = faults(2, down);
    keep(new Relay(hostPair.b(), chipPair.a(), c -> on.get() ? upFaults.apply(c) : c, c -> on.get() ? downFaults.apply(c) : c));
    Device d = keep(Devices.open("serial:" + hostPair.a() + "?timeout_ms=200&attempts=20"));
    on.set(true);
    float[] expected = new float[d.info().parameterCount()];
    int n = 60;
    for (int k = 0; k < n; k++) {
      d.update(update(100 + k, 0.01f * (k % 7 - 3)));
      PerturbationPrng.addRademacher(expected, 0, expected.length, 100 + k, 0.01f * (k % 7 - 3));
      d.ping(new byte[] {(byte) k, 0, 0, 1});
    }
    on.set(false);
    assertTrue(up.get() >= 5 && down.get() >= 5, "too few faults to mean anything: " + up + " up, " + down + " down");
    assertEquals(n, chip.updates, "each UPDATE applied exactly once despite the resends");
    assertArrayEquals(expected, d.readWeights(ReadWeightsRequest.Source.TARGET));
    assertTrue(d.wireStats().retries() > 0, "faults must have caused resends: " + d.wireStats());
  }

  @Test
  void anUpdateWhoseReplyWasLostInAnUnpluggedCableIsAnsweredFromTheCacheNotAppliedTwice() throws Exception {
    SocatPair hostPair = keep(SocatPair.start(tmp, "host"));
    SocatPair chipPair = keep(SocatPair.start(tmp, "chip"));
    FakeChip chip = FakeChip.small();
    serve(chip, chipPair.b(), hostPair.a());
    FrameDecoder watch = new FrameDecoder(0xFFFF);
    AtomicBoolean unplugged = new AtomicBoolean(false);
    List<Integer> chipSaw = java.util.Collections.synchronizedList(new ArrayList<>());
    FrameDecoder upWatch = new FrameDecoder(0xFFFF);
    keep(new Relay(hostPair.b(), chipPair.a(),
        c -> {
          upWatch.feed(c, 0, c.length, f -> chipSaw.add(f.type()), e -> { });
          return c;
        },
        c -> {
          boolean[] updateReply = {false};
          watch.feed(c, 0, c.length, f -> updateReply[0] |= f.type() == MessageType.UPDATE.replyCode(), e -> { });
          if (updateReply[0] && unplugged.compareAndSet(false, true)) {
            // The chip applied the UPDATE; its reply dies with the cable.
            hostPair.kill();
            hostPair.restart();
            return null;
          }
          return c;
        }));
    ResilientDevice d = (ResilientDevice) keep(Devices.open("serial:" + hostPair.a() + FAST));
    d.update(update(42, 0.5f));
    assertTrue(unplugged.get(), "the relay never cut the UPDATE reply");
    assertEquals(1, chip.updates, "the resent UPDATE must be answered from the replay cache");
    assertEquals(1, d.reconnects());
    float[] expected = new float[d.info().parameterCount()];
    PerturbationPrng.addRademacher(expected, 0, expected.length, 42, 0.5f);
    assertArrayEquals(expected, d.readWeights(ReadWeightsRequest.Source.TARGET));
    // On the chip's side: HELLO, UPDATE, the resent UPDATE, then the identity HELLO (never HELLO before the resend).
    List<Integer> seen = new ArrayList<>(chipSaw);
    int firstUpdate = seen.indexOf(MessageType.UPDATE.code);
    int resend = seen.subList(firstUpdate + 1, seen.size()).indexOf(MessageType.UPDATE.code) + firstUpdate + 1;
    assertTrue(resend > firstUpdate, "no resent UPDATE reached the chip: " + seen);
    assertTrue(seen.subList(firstUpdate, resend).stream().noneMatch(t -> t == MessageType.HELLO.code), "HELLO before the resend: " + seen);
    assertTrue(seen.subList(resend, seen.size()).contains(MessageType.HELLO.code), "identity HELLO missing after the reconnect: " + seen);
  }

  @Test
  void anotherChipOnTheLineAfterAReconnectIsRefused() throws Exception {
    SocatPair pair = keep(SocatPair.start(tmp, "p"));
    FakeChip first = FakeChip.small();
    ServedChip<SerialChipServer> s1 = serve(first, pair.b(), pair.a());
    Device d = keep(Devices.open("serial:" + pair.a() + FAST));
    s1.close();
    Thread.sleep(300);
    pair.kill();
    pair.restart();
    serve(new FakeChip(1, 100, 1 << 20, 4, 5, 2), pair.b(), pair.a());
    DeviceException e = assertThrows(DeviceException.class, () -> d.ping(new byte[] {1}));
    assertEquals(DeviceException.Kind.PROTOCOL, e.kind());
    assertTrue(e.getMessage().startsWith("after reconnecting, serial:" + pair.a()) && e.getMessage().contains("another chip"), e.getMessage());
  }

  @Test
  void aReplyTricklingInSlowerThanTheTimeoutIsWaitedForNotResent() throws Exception {
    SocatPair pair = keep(SocatPair.start(tmp, "p"));
    SerialPort peer = SerialPorts.open(pair.b(), 921600);
    io.noprop.protocol.chip.ChipEndpoint chip = new io.noprop.protocol.chip.ChipEndpoint(FakeChip.small());
    AtomicInteger requests = new AtomicInteger();
    AtomicBoolean run = new AtomicBoolean(true);
    Thread t = new Thread(() -> {
      byte[] in = new byte[256];
      while (run.get()) {
        int n = peer.readBytes(in, in.length);
        if (n <= 0) continue;
        byte[] reply = chip.onBytes(in, 0, n);
        if (reply.length == 0) continue;
        requests.incrementAndGet();
        // A slow line: the reply comes a byte at a time, 3 s in all against a 1 s timeout, with gaps
        // (3 s / length, a few tens of ms) far inside the timeout even on a saturated machine. At the
        // 9600 baud the URI states, the link allows a long frame ~68 s of line time, so the cap on a
        // talking chip is far away too.
        long gap = Math.max(20, 3000 / reply.length);
        for (int k = 0; k < reply.length; k++) {
          SerialPorts.writeFully(peer, new byte[] {reply[k]});
          try {
            Thread.sleep(k < reply.length - 1 ? gap : 0);
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    });
    t.start();
    keep(() -> {
      run.set(false);
      t.join(2000);
      peer.closePort();
    });
    Device d = keep(Devices.open("serial:" + pair.a() + "?baud=9600&timeout_ms=1000&attempts=1"));
    assertEquals("fake-0", d.info().deviceId());
    assertEquals(1, requests.get(), "HELLO was resent while its reply was still arriving");
  }
}
