package io.noprop.controller.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.train.MetricsLog;
import io.noprop.controller.train.ProcessRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunScannerTest {
  @TempDir Path tmp;

  /** Rows written by the trainer's own writer. */
  static void metrics(Path dir, int rows) throws IOException {
    Files.createDirectories(dir);
    try (MetricsLog log = new MetricsLog(dir, -1)) {
      for (int k = 1; k <= rows; k++) log.row(10L * k, 160L * k, 2.3 - 0.1 * k, 0.1 + 0.05 * k, 0.01, 0.1, 0.5, 0, 1.5 * k, 1000L * k, 500L * k);
    }
  }

  static Map<String, Object> summary(Path dir, double acc, long queries) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("test_accuracy", acc);
    m.put("test_loss", 0.75);
    m.put("queries", queries);
    m.put("steps", queries / 16);
    m.put("wire_bytes_sent", 123456);
    m.put("wire_bytes_received", 65432);
    m.put("wall_seconds", 12.5);
    m.put("chip_seconds", 0.25);
    m.put("device", "sim:rram?layers=4-8-2");
    m.put("method", "es8");
    m.put("params", Map.of("budget", 4000, "seed", 1));
    m.put("a_field_from_a_later_version", List.of(1, 2)); // readers tolerate what they do not know
    Files.writeString(dir.resolve("summary.json"), new ObjectMapper().writeValueAsString(m));
    return m;
  }

  static void process(Path dir, long pid, String start) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("pid", pid);
    if (start != null) m.put("process_start", start);
    m.put("host", ProcessRecord.host());
    m.put("device", "sim:ideal?layers=4-8-2");
    m.put("method", "spsa");
    m.put("budget", 1000);
    Files.writeString(dir.resolve(ProcessRecord.FILE), new ObjectMapper().writeValueAsString(m));
  }

  @Test
  void aRunWhoseRecordedProcessIsThisLiveOneIsRunningAndReportsItsLastRow() throws IOException {
    Path d = tmp.resolve("live");
    metrics(d, 3);
    ProcessRecord.write(d, "sim:ideal?layers=4-8-2", "spsa", 1000, 1);
    RunRecord r = RunScanner.read(d, "live");
    assertEquals(RunStatus.RUNNING, r.status());
    assertEquals(ProcessHandle.current().pid(), r.pid());
    assertEquals("spsa", r.method());
    assertEquals(1000L, r.budget());
    assertEquals(480L, r.queries());
    assertEquals(30L, r.steps());
    assertEquals(3000L, r.wireBytesSent());
    assertNull(r.testAccuracy(), "no test accuracy before the end");
  }

  @Test
  void aSummaryWithNoLiveProcessIsFinishedAndItsFiguresComeFromTheSummary() throws IOException {
    Path d = tmp.resolve("done");
    metrics(d, 4);
    process(d, 999_999_999L, null); // no such pid: the process is gone
    summary(d, 0.8125, 4000);
    RunRecord r = RunScanner.read(d, "done");
    assertEquals(RunStatus.FINISHED, r.status());
    assertEquals(0.8125, r.testAccuracy());
    assertEquals(4000L, r.queries());
    assertEquals(4000L, r.budget());
    assertEquals("es8", r.method());
    assertEquals(12.5, r.wallSeconds());
    assertEquals(0.25, r.chipSeconds());
    assertEquals(List.of(1, 2), r.summary().get("a_field_from_a_later_version"));
  }

  @Test
  void aProcessThatGoesOnAfterItsRunEndedDoesNotKeepTheRunLive() throws IOException {
    Path done = tmp.resolve("bench-run");
    metrics(done, 2);
    ProcessRecord.write(done, "sim:ideal?layers=4-8-2", "spsa", 1000, 1);
    ProcessRecord.end(done, null);
    assertEquals(RunStatus.RUNNING, RunScanner.read(done, "x").status(), "trained, summary not yet written");
    summary(done, 0.5, 1000);
    assertEquals(RunStatus.FINISHED, RunScanner.read(done, "x").status());
    Path failed = tmp.resolve("failed");
    metrics(failed, 2);
    ProcessRecord.write(failed, "sim:ideal?layers=4-8-2", "spsa", 1000, 1);
    ProcessRecord.end(failed, "sim:ideal returned a non-finite loss 20 steps in a row");
    RunRecord r = RunScanner.read(failed, "failed");
    assertEquals(RunStatus.INTERRUPTED, r.status());
    assertEquals("sim:ideal returned a non-finite loss 20 steps in a row", r.error());
  }

  @Test
  void noSummaryAndADeadProcessIsInterrupted() throws IOException {
    Path d = tmp.resolve("killed");
    metrics(d, 2);
    process(d, 999_999_999L, Instant.now().toString());
    assertEquals(RunStatus.INTERRUPTED, RunScanner.read(d, "killed").status());
  }

  @Test
  void aPidNowHeldByAnotherProcessDoesNotMakeTheRunLive() throws IOException {
    Path d = tmp.resolve("reused");
    metrics(d, 2);
    // this JVM's pid, but a start instant a day earlier: the pid was reused
    Instant start = ProcessHandle.current().info().startInstant().orElseThrow().minusSeconds(86400);
    process(d, ProcessHandle.current().pid(), start.toString());
    assertEquals(RunStatus.INTERRUPTED, RunScanner.read(d, "reused").status());
  }

  @Test
  void aLastLineCutMidWriteAndUnknownColumnsAreTolerated() throws IOException {
    Path d = tmp.resolve("growing");
    Files.createDirectories(d);
    Files.writeString(d.resolve("metrics.csv"), "step,queries,train_loss,train_accuracy,new_column,wall_seconds\n1,16,2.3,0.1,x,0.5\n2,32,2.2,0.2,y,1.0\n3,4");
    MetricsSeries m = MetricsSeries.read(d.resolve("metrics.csv"));
    assertEquals(2, m.size());
    assertEquals(32, m.queries()[1]);
    assertTrue(Double.isNaN(m.bytesSent()[1]), "a missing column reads as NaN");
    Files.writeString(d.resolve("metrics.csv"), "8,2.1,0.3,z,1.5\n", StandardOpenOption.APPEND); // the row becomes 3,48,...
    assertEquals(3, MetricsSeries.read(d.resolve("metrics.csv")).size(), "the cut line completed by the writer is read");
  }

  @Test
  void scanFindsRunsNestedInABenchAndSkipsOtherDirectories() throws IOException {
    metrics(tmp.resolve("a"), 1);
    metrics(tmp.resolve("bench/runs/es8-b100-s1"), 1);
    Files.createDirectories(tmp.resolve("empty"));
    List<String> names = RunScanner.scan(List.of(tmp)).stream().map(RunRecord::name).toList();
    assertEquals(List.of("a", Path.of("bench", "runs", "es8-b100-s1").toString()), names);
    assertEquals(List.of("a"), RunScanner.scan(List.of(tmp.resolve("a"))).stream().map(RunRecord::name).toList(), "a root that is a run");
    assertEquals(List.of(), RunScanner.scan(List.of(tmp.resolve("missing"))));
  }

  @Test
  void aRunRecordNamesTheDeviceMethodAndBudgetOfARunWithoutSummaryOrProcessRecord() throws IOException {
    Path d = tmp.resolve("recorded");
    metrics(d, 2);
    Files.writeString(d.resolve(RunScanner.RUN_RECORD), "{\"format\":1,\"device\":\"serial:/dev/ttyACM0\",\"options\":{\"--budget\":\"20000\",\"--method\":\"auto\"},"
        + "\"resolved\":{\"method\":\"es8\",\"batch\":1024},\"more\":[1]}");
    RunRecord r = RunScanner.read(d, "recorded");
    assertEquals("serial:/dev/ttyACM0", r.device());
    assertEquals("es8", r.method());
    assertEquals(20000L, r.budget());
    assertEquals(RunStatus.INTERRUPTED, r.status());
  }

  @Test
  void locatingARunThatIsNotThereSaysHowToListRuns() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunScanner.locate(tmp.resolve("nope").toString(), List.of()));
    assertTrue(e.getMessage().contains("noprop runs list"), e.getMessage());
  }
}
