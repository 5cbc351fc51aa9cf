package io.noprop.protocol.chip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.protocol.frame.Frame;
import io.noprop.protocol.frame.FrameCodec;
import io.noprop.protocol.frame.FrameDecoder;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.MessageType;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StreamChipServerTest {
  @Test
  void servesRequestsOverPipesUntilTheInputEnds() {
    assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
      RecordingBackend backend = new RecordingBackend();
      StreamChipServer server = new StreamChipServer(backend);
      PipedOutputStream toChip = new PipedOutputStream();
      PipedInputStream chipIn = new PipedInputStream(toChip, 4096);
      PipedOutputStream chipOut = new PipedOutputStream();
      PipedInputStream fromChip = new PipedInputStream(chipOut, 4096);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t = new Thread(() -> {
        try {
          server.serve(chipIn, chipOut);
          chipOut.close();
        } catch (Throwable e) {
          failure.set(e);
        }
      }, "chip-server");
      t.start();

      Client c = new Client(toChip, fromChip);
      HelloInfo h = HelloInfo.decode(c.call(Frame.of(MessageType.HELLO.code, 0, new byte[] {1})).payload());
      assertEquals(RecordingBackend.HELLO.deviceId(), h.deviceId());
      Frame update = Frame.of(MessageType.UPDATE.code, 1,
          new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(2, 0.125f))).encode());
      Frame first = c.call(update);
      assertEquals(0x91, first.type());
      assertEquals(first, c.call(update), "resend over the stream is replayed");
      assertEquals(0, UpdateResult.decode(first.payload()).clippedWeights());
      assertEquals(1, backend.calls.size());

      toChip.close();
      t.join();
      assertEquals(null, failure.get());
      assertEquals(-1, fromChip.read(), "server closed its side after the input ended");
    });
  }

  @Test
  void returnsAtEndOfInputAfterAnsweringEverything() throws IOException {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    in.write(new byte[] {0x13, 0x37, 0});
    in.write(FrameCodec.toWire(Frame.of(MessageType.PING.code, 1, new byte[] {1, 2})));
    in.write(FrameCodec.toWire(Frame.of(MessageType.PING.code, 2, new byte[0])));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamChipServer server = new StreamChipServer(new RecordingBackend());
    server.serve(new ByteArrayInputStream(in.toByteArray()), out);
    Queue<Frame> replies = new ArrayDeque<>();
    byte[] o = out.toByteArray();
    new FrameDecoder(0xFFFF).feed(o, 0, o.length, replies::add, e -> { throw e; });
    assertEquals(List.of(0xFFFF, 1, 2), replies.stream().map(Frame::seq).toList(), "CORRUPT_FRAME for the garbage, then both pings");
    assertEquals(1, server.endpoint().parserStats().malformed());
  }

  @Test
  void toleratesStreamsThatReturnZeroBytes() throws IOException {
    byte[] wire = FrameCodec.toWire(Frame.of(MessageType.PING.code, 3, new byte[] {9}));
    InputStream stuttering = new InputStream() {
      int pos = -1;

      @Override
      public int read() {
        throw new UnsupportedOperationException();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        pos++;
        if (pos % 2 == 0) return pos / 2 < wire.length ? 0 : -1;
        int i = pos / 2;
        if (i >= wire.length) return -1;
        b[off] = wire[i];
        return 1;
      }
    };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new StreamChipServer(new RecordingBackend()).serve(stuttering, out);
    assertFalse(out.size() == 0);
    byte[] o = out.toByteArray();
    Queue<Frame> replies = new ArrayDeque<>();
    new FrameDecoder(0xFFFF).feed(o, 0, o.length, replies::add, e -> { throw e; });
    assertTrue(replies.size() == 1 && replies.peek().seq() == 3);
  }

  /** Sends one request and reads bytes until one reply frame is complete. */
  private static final class Client {
    private final PipedOutputStream out;
    private final PipedInputStream in;
    private final FrameDecoder decoder = new FrameDecoder(0xFFFF);
    private final Queue<Frame> replies = new ArrayDeque<>();

    Client(PipedOutputStream out, PipedInputStream in) {
      this.out = out;
      this.in = in;
    }

    Frame call(Frame request) throws IOException {
      out.write(FrameCodec.toWire(request));
      out.flush();
      byte[] b = new byte[1];
      while (replies.isEmpty()) {
        if (in.read(b) < 0) throw new IOException("chip closed the stream");
        decoder.feed(b, 0, 1, replies::add, e -> { throw e; });
      }
      return replies.remove();
    }
  }
}
