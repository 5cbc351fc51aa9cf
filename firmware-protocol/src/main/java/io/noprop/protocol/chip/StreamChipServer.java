package io.noprop.protocol.chip;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Serves a backend over any byte stream (serial port, pipe, socket) until the input ends.
 */
public final class StreamChipServer {
  private final ChipEndpoint endpoint;

  public StreamChipServer(ChipBackend backend) {
    this.endpoint = new ChipEndpoint(backend);
  }

  /** Blocks, answering requests, until {@code in} reports end of stream. */
  public void serve(InputStream in, OutputStream out) throws IOException {
    byte[] buf = new byte[8192];
    int n;
    while ((n = in.read(buf)) >= 0) {
      if (n == 0) continue;
      byte[] reply = endpoint.onBytes(buf, 0, n);
      if (reply.length > 0) {
        out.write(reply);
        out.flush();
      }
    }
  }

  public ChipEndpoint endpoint() {
    return endpoint;
  }
}
