package io.noprop.driver.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of a broker that cuts the first {@code cuts} client connections the moment
 * the client sends SUBSCRIBE, after the broker has accepted its CONNECT: what a restarting or
 * overloaded broker does to a client that has just connected. Later connections pass untouched.
 * It reads MQTT's fixed header (type nibble, variable-length remaining length) to find packets.
 */
public final class SubscribeCuttingProxy implements AutoCloseable {
  private static final int SUBSCRIBE = 8;
  private final ServerSocket listener;
  private final int brokerPort;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger cut = new AtomicInteger();
  private final int cuts;
  private volatile boolean closed;

  public SubscribeCuttingProxy(int brokerPort, int cuts) {
    this.brokerPort = brokerPort;
    this.cuts = cuts;
    try {
      this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread t = new Thread(this::accept, "subscribe-cutting-proxy");
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return listener.getLocalPort();
  }

  /** Connections cut at their SUBSCRIBE so far. */
  public int cut() {
    return cut.get();
  }

  private void accept() {
    while (!closed) {
      try {
        Socket client = listener.accept();
        Socket broker = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
        client.setTcpNoDelay(true);
        broker.setTcpNoDelay(true);
        boolean cutThis = connections.incrementAndGet() <= cuts;
        pump(broker.getInputStream(), client.getOutputStream(), client, broker, false);
        pump(client.getInputStream(), broker.getOutputStream(), client, broker, cutThis);
      } catch (IOException e) {
        if (!closed) throw new UncheckedIOException(e);
      }
    }
  }

  private void pump(InputStream in, OutputStream out, Socket a, Socket b, boolean cutAtSubscribe) {
    Thread t = new Thread(() -> {
      try {
        if (cutAtSubscribe) {
          while (true) {
            int first = in.read();
            if (first < 0) break;
            if ((first >>> 4) == SUBSCRIBE) {
              cut.incrementAndGet();
              break; // never forwarded: both sockets close below
            }
            out.write(first);
            int remaining = 0;
            for (int shift = 0; ; shift += 7) {
              int digit = in.read();
              if (digit < 0) throw new IOException("stream ended inside a packet header");
              out.write(digit);
              remaining |= (digit & 0x7F) << shift;
              if ((digit & 0x80) == 0) break;
            }
            out.write(in.readNBytes(remaining));
            out.flush();
          }
        } else {
          in.transferTo(out);
        }
      } catch (IOException e) {
        // one side went away: close both
      } finally {
        closeQuietly(a);
        closeQuietly(b);
      }
    }, "proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
