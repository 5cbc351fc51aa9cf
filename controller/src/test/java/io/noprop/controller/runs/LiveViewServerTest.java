package io.noprop.controller.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.train.ProcessRecord;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveViewServerTest {
  @TempDir Path tmp;
  final HttpClient http = HttpClient.newHttpClient();

  HttpResponse<String> get(LiveViewServer v, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + v.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theApiListsEachRunWithItsSummaryFiguresStatusCurvesAndFleet() throws Exception {
    Path done = tmp.resolve("done");
    RunScannerTest.metrics(done, 4);
    Map<String, Object> summary = RunScannerTest.summary(done, 0.8125, 4000);
    Path live = tmp.resolve("live");
    RunScannerTest.metrics(live, 3);
    ProcessRecord.write(live, "mqtt://127.0.0.1:1883/chip-1,chip-2", "spsa", 1000, 1);
    Files.writeString(live.resolve("fleet.json"),
        "{\"updated\":\"2026-01-01T00:00:00Z\",\"step\":30,\"chips\":[{\"name\":\"chip-1\",\"online\":true,\"last_error\":\"\"},"
            + "{\"name\":\"chip-2\",\"online\":false,\"last_error\":\"no answer\"}]}");
    try (LiveViewServer v = LiveViewServer.start(List.of(tmp), InetAddress.getLoopbackAddress(), 0)) {
      HttpResponse<String> r = get(v, "/api/runs");
      assertEquals(200, r.statusCode());
      Map<?, ?> body = new ObjectMapper().readValue(r.body(), Map.class);
      List<?> runs = (List<?>) body.get("runs");
      assertEquals(2, runs.size());
      Map<?, ?> d = (Map<?, ?>) runs.get(0);
      assertEquals("done", d.get("name"));
      assertEquals("finished", d.get("status"));
      for (String k : new String[] {"test_accuracy", "test_loss", "queries", "steps", "wire_bytes_sent", "wire_bytes_received", "wall_seconds", "chip_seconds"}) {
        assertEquals(((Number) summary.get(k)).doubleValue(), ((Number) d.get(k)).doubleValue(), k);
      }
      Map<?, ?> l = (Map<?, ?>) runs.get(1);
      assertEquals("running", l.get("status"));
      assertEquals(List.of(160, 320, 480), ((Map<?, ?>) l.get("points")).get("queries"));
      Map<?, ?> fleet = (Map<?, ?>) l.get("fleet");
      assertEquals(1, fleet.get("online"));
      assertEquals(2, ((List<?>) fleet.get("chips")).size());
    }
  }

  @Test
  void thePageIsSelfContainedAndNothingElseIsServed() throws Exception {
    try (LiveViewServer v = LiveViewServer.start(List.of(tmp), InetAddress.getLoopbackAddress(), 0)) {
      HttpResponse<String> page = get(v, "/");
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("api/runs"));
      assertFalse(page.body().contains("<script src"), "no external script: the lab machine may have no web access");
      assertFalse(page.body().contains("http://") && !page.body().contains("http://www.w3.org/2000/svg"), "no external resource");
      assertEquals(404, get(v, "/../../etc/passwd").statusCode());
      assertEquals(404, get(v, "/api/runs/../metrics.csv").statusCode());
      assertTrue(v.address().getAddress().isLoopbackAddress());
    }
  }

  @Test
  void curvesLongerThanTheLimitAreThinnedKeepingTheLastRow() throws Exception {
    Path d = tmp.resolve("long");
    RunScannerTest.metrics(d, LiveViewServer.MAX_POINTS * 2 + 1);
    Map<String, Object> j = LiveViewServer.toJson(RunScanner.read(d, "long"));
    List<?> q = (List<?>) ((Map<?, ?>) j.get("points")).get("queries");
    assertTrue(q.size() <= LiveViewServer.MAX_POINTS + 1, "points " + q.size());
    assertEquals(160L * (LiveViewServer.MAX_POINTS * 2 + 1), ((Number) q.get(q.size() - 1)).longValue());
  }
}
