package io.noprop.driver.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A Mosquitto broker started as a process on a free port, with a generated config in a temp
 * directory: {@code listener PORT 127.0.0.1}, no persistence, {@code set_tcp_nodelay true}, and
 * either anonymous access or a password file. {@link #restart()} stops and starts it on the same
 * port (what a broker restart mid-run looks like to clients: every connection drops, retained
 * messages are gone).
 *
 * <p>Tests call {@link #requireInstalled()}: without the {@code mosquitto} binary they are skipped
 * with the reason, except under {@code CI=true}, where they fail.
 */
public final class Mosquitto implements AutoCloseable {
  public static final String BINARY = "/usr/sbin/mosquitto";
  private final Path dir;
  private final int port;
  private Process process;
  private final Path ca;

  /** @param user null for anonymous access, else the only account (with {@code password}) */
  public Mosquitto(Path dir, String user, String password) {
    this(dir, user == null ? Map.of() : Map.of(user, password), null, false, false);
  }

  /** A TLS-only broker whose certificate (for IP 127.0.0.1) is signed by a fresh CA: {@link #caFile()}. */
  public static Mosquitto tls(Path dir) {
    return new Mosquitto(dir, Map.of(), null, true, false);
  }

  /**
   * A locked-down broker: only these accounts (user to password; none means anonymous), an ACL
   * file (null: none), and optionally TLS, with client certificates signed by the same CA
   * required ({@link #clientCertificate}).
   */
  public static Mosquitto secured(Path dir, Map<String, String> users, Path aclFile, boolean tls, boolean requireClientCertificates) {
    return new Mosquitto(dir, users, aclFile, tls, requireClientCertificates);
  }

  private Mosquitto(Path dir, Map<String, String> users, Path aclFile, boolean tls, boolean clientCerts) {
    this.dir = dir;
    this.ca = tls ? dir.resolve("ca.pem") : null;
    this.port = EmbeddedBroker.freePort();
    try {
      StringBuilder conf = new StringBuilder();
      conf.append("listener ").append(port).append(" 127.0.0.1\n");
      if (tls) {
        String d = dir.toString();
        run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=noprop test CA",
            "-keyout", d + "/ca.key", "-out", d + "/ca.pem"));
        run(List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-keyout", d + "/server.key", "-out", d + "/server.csr"));
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        run(List.of("openssl", "x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca.key", "-CAcreateserial",
            "-days", "2", "-extfile", d + "/san.ext", "-out", d + "/server.pem"));
        conf.append("cafile ").append(d).append("/ca.pem\ncertfile ").append(d).append("/server.pem\nkeyfile ").append(d).append("/server.key\n");
        if (clientCerts) conf.append("require_certificate true\n");
      }
      conf.append("persistence false\n");
      // run as root, mosquitto drops to user 'mosquitto', which cannot read a JUnit temp dir
      conf.append("user ").append(System.getProperty("user.name")).append('\n');
      conf.append("set_tcp_nodelay true\n");
      conf.append("log_dest file ").append(dir.resolve("mosquitto.log")).append('\n');
      // the defaults plus subscriptions, so a failing test's log shows who subscribed to what and when
      conf.append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\nlog_type subscribe\nlog_timestamp_format %H:%M:%S\n");
      if (users.isEmpty()) {
        conf.append("allow_anonymous true\n");
      } else {
        Path pw = dir.resolve("passwd");
        Files.writeString(pw, "");
        for (Map.Entry<String, String> u : users.entrySet()) run(List.of("mosquitto_passwd", "-b", pw.toString(), u.getKey(), u.getValue()));
        conf.append("allow_anonymous false\n");
        conf.append("password_file ").append(pw).append('\n');
      }
      if (aclFile != null) conf.append("acl_file ").append(aclFile.toAbsolutePath()).append('\n');
      Files.writeString(dir.resolve("mosquitto.conf"), conf.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start();
  }

  public static void requireInstalled() {
    if (Files.isExecutable(Path.of(BINARY))) return;
    String why = BINARY + " is missing: apt-get install mosquitto";
    if ("true".equals(System.getenv("CI"))) throw new AssertionError(why + " (CI=true: tests against Mosquitto must run)");
    Assumptions.abort(why);
  }

  private static void run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + new String(p.getInputStream().readAllBytes()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Starts the broker and waits until it accepts connections. */
  public void start() {
    try {
      process = new ProcessBuilder(BINARY, "-c", dir.resolve("mosquitto.conf").toString())
          .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // it listens or exits with a reason (a port taken, a bad config); a slow start is not a failure
    while (true) {
      if (!process.isAlive()) throw new IllegalStateException("mosquitto exited at once: " + log());
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        sleep(20);
      }
    }
  }

  /** Stops the broker (SIGTERM, then SIGKILL after 5 s) and waits until it is gone. */
  public void stop() {
    if (process == null) return;
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  public void restart() {
    stop();
    start();
  }

  /** The last {@code lines} lines of the broker's log (for a failing test's message). */
  public String logTail(int lines) {
    String[] all = log().split("\n");
    return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
  }

  private String log() {
    try {
      Path l = dir.resolve("mosquitto.log");
      return Files.exists(l) ? Files.readString(l) : Files.readString(dir.resolve("stdout.log"));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A client key and certificate (PEM, {@code NAME.key} and {@code NAME.pem} in the broker's
   * directory) with common name {@code name}, signed by this TLS broker's CA. Returns the
   * certificate; the key is next to it.
   */
  public Path clientCertificate(String name) {
    if (ca == null) throw new IllegalStateException("not a TLS broker");
    String d = dir.toString();
    try {
      run(List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + name, "-keyout", d + "/" + name + ".key", "-out", d + "/" + name + ".csr"));
      run(List.of("openssl", "x509", "-req", "-in", d + "/" + name + ".csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca.key", "-CAcreateserial",
          "-days", "2", "-out", d + "/" + name + ".pem"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir.resolve(name + ".pem");
  }

  /** The CA that signed a TLS broker's certificate (PEM), or null for a plain broker. */
  public Path caFile() {
    return ca;
  }

  public int port() {
    return port;
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    stop();
  }
}
