package io.noprop.driver.mqtt;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Properties;

/**
 * Moquette 0.17 in this JVM, for fast tests: a free port picked here (Moquette's own
 * {@code getPort()} often answers 0), no persistence (it would write ./data), no telemetry,
 * no websocket listener, replies flushed at once.
 */
public final class EmbeddedBroker implements AutoCloseable {
  private final Server server = new Server();
  private final int port;

  public EmbeddedBroker() {
    this.port = freePort();
    Properties p = new Properties();
    p.setProperty("host", "127.0.0.1");
    p.setProperty("port", Integer.toString(port));
    p.setProperty("persistence_enabled", "false");
    p.setProperty("telemetry_enabled", "false");
    p.setProperty("websocket_port", "disabled");
    p.setProperty("allow_anonymous", "true");
    p.setProperty("immediate_buffer_flush", "true");
    p.setProperty("netty.mqtt.message_size", "70000");
    try {
      server.startServer(new MemoryConfig(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return port;
  }

  /** {@code tcp://127.0.0.1:PORT}. */
  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.stopServer();
  }
}
