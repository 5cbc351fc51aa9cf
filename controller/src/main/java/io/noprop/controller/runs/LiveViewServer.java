package io.noprop.controller.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The live view of {@code noprop view}: one page ({@code view.html}: table, figures and SVG curves
 * drawn by an inline script, nothing fetched from elsewhere) that polls {@code /api/runs}, the runs
 * under the roots as {@link RunScanner} reads them. Read-only: no request names a file, so nothing
 * but run records leaves the machine even when bound beyond loopback.
 *
 * <p>The JDK's {@code com.sun.net.httpserver} serves it: two GET routes do not need a web framework.
 */
public final class LiveViewServer implements AutoCloseable {
  /** Most points per curve sent to the page; longer runs are thinned evenly, the last row always kept. */
  public static final int MAX_POINTS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService pool;
  private final List<Path> roots;
  private final byte[] page;

  private LiveViewServer(HttpServer server, ExecutorService pool, List<Path> roots, byte[] page) {
    this.server = server;
    this.pool = pool;
    this.roots = roots;
    this.page = page;
  }

  /** Serves the runs under {@code roots} on {@code bind:port} (port 0: any free port; see {@link #port()}). */
  public static LiveViewServer start(List<Path> roots, InetAddress bind, int port) throws IOException {
    byte[] page;
    try (InputStream in = LiveViewServer.class.getResourceAsStream("view.html")) {
      if (in == null) throw new IOException("view.html missing from the jar; rebuild with mvn package");
      page = in.readAllBytes();
    }
    HttpServer s = HttpServer.create(new InetSocketAddress(bind, port), 16);
    ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "live-view");
      t.setDaemon(true);
      return t;
    });
    LiveViewServer v = new LiveViewServer(s, pool, List.copyOf(roots), page);
    s.createContext("/", v::handle);
    s.setExecutor(pool);
    s.start();
    return v;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        send(ex, 405, "text/plain", "only GET\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      String path = ex.getRequestURI().getPath();
      switch (path) {
        case "/", "/index.html" -> send(ex, 200, "text/html; charset=utf-8", page);
        case "/api/runs" -> {
          byte[] body;
          try {
            body = JSON.writeValueAsBytes(snapshot());
          } catch (IOException | RuntimeException e) {
            send(ex, 500, "text/plain; charset=utf-8", ("could not read the runs: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
            return;
          }
          send(ex, 200, "application/json", body);
        }
        default -> send(ex, 404, "text/plain", ("no such page: " + path + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static void send(HttpExchange ex, int code, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(code, head ? -1 : body.length);
    if (!head) {
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    }
  }

  /** What {@code /api/runs} answers: the roots and every run with its figures and thinned curves. */
  public Map<String, Object> snapshot() throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("roots", roots.stream().map(Path::toString).toList());
    m.put("generated_ms", System.currentTimeMillis());
    List<Map<String, Object>> runs = new ArrayList<>();
    for (RunRecord r : RunScanner.scan(roots)) runs.add(toJson(r));
    m.put("runs", runs);
    return m;
  }

  static Map<String, Object> toJson(RunRecord r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", r.name());
    m.put("dir", r.dir().toString());
    m.put("status", r.status().label());
    m.put("device", r.device());
    m.put("method", r.method());
    m.put("budget", r.budget());
    m.put("queries", r.queries());
    m.put("steps", r.steps());
    m.put("test_accuracy", r.testAccuracy());
    m.put("test_loss", r.testLoss());
    m.put("train_loss", r.trainLoss());
    m.put("train_accuracy", r.trainAccuracy());
    m.put("wall_seconds", r.wallSeconds());
    m.put("wire_bytes_sent", r.wireBytesSent());
    m.put("wire_bytes_received", r.wireBytesReceived());
    m.put("chip_seconds", r.chipSeconds());
    m.put("chip_joules", r.chipJoules());
    m.put("updated_ms", r.updatedMillis());
    if (r.fleet() != null) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("updated", r.fleet().updated());
      f.put("online", r.fleet().online());
      List<Map<String, Object>> chips = new ArrayList<>();
      for (FleetSnapshot.Chip c : r.fleet().chips()) chips.add(Map.of("name", c.name(), "online", c.online(), "last_error", c.lastError()));
      f.put("chips", chips);
      m.put("fleet", f);
    }
    MetricsSeries s = r.metrics();
    int n = s.size();
    int stride = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
    List<Long> q = new ArrayList<>();
    List<Double> loss = new ArrayList<>();
    List<Double> acc = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      if (k % stride != 0 && k != n - 1) continue;
      q.add(s.queries()[k]);
      loss.add(Double.isFinite(s.loss()[k]) ? s.loss()[k] : null);
      acc.add(Double.isFinite(s.accuracy()[k]) ? s.accuracy()[k] : null);
    }
    m.put("rows", n);
    m.put("points", Map.of("queries", q, "loss", loss, "accuracy", acc));
    return m;
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
