package io.noprop.controller.cli;

import io.noprop.driver.serial.SocatPair;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.TestData;
import io.noprop.controller.train.CheckpointStore;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.RunConfig;
import io.noprop.controller.train.TrainListener;
import io.noprop.controller.train.Trainer;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.protocol.msg.ReadWeightsRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Tag;

/**
 * A virtual bench end to end: {@code noprop serve} on one end of a socat pty pair, training on
 * the other, compared with the same run in process.
 */
@Tag("integration") // tier: integration (a real peer: socat, a broker, gcc, a child JVM or the Fashion-MNIST files; README "Test tiers")
@Timeout(300) // a guard against a hang, never a pass condition
class SerialBenchTest {
  @TempDir Path tmp;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).close();
  }

  /** Runs {@code noprop serve} in a thread; returns once it printed its ready line. */
  private void serve(String port, String preset, String... options) throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(1);
    StringBuilder seen = new StringBuilder();
    Writer out = new Writer() {
      @Override
      public void write(char[] c, int off, int len) {
        synchronized (seen) {
          seen.append(c, off, len);
          if (seen.indexOf("serving ") >= 0 && seen.indexOf("\n") >= 0) ready.countDown();
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    StringWriter err = new StringWriter();
    List<String> args = new ArrayList<>(List.of("serve", "--preset", preset, "--serial", port));
    for (String o : options) args.addAll(List.of("--option", o));
    int[] code = {-1};
    Thread t = new Thread(() -> code[0] = NopropCommand.execute(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true)), "serve");
    t.setDaemon(true);
    t.start();
    cleanup.add(() -> {
      t.interrupt();
      t.join(); // stops on interrupt; the class timeout turns a hang into a failure
      assertEquals(0, code[0], "noprop serve: " + err);
    });
    // ready when it says so; a serve that exits first is the failure (not a slow start on a busy machine)
    while (!ready.await(100, TimeUnit.MILLISECONDS)) {
      if (!t.isAlive()) fail("noprop serve exited with " + code[0] + " before it said it was ready: " + seen + err);
    }
    synchronized (seen) {
      assertTrue(seen.toString().startsWith("serving sim:" + preset) && seen.toString().contains(port), seen.toString());
    }
  }

  Path blobsCsv() throws Exception {
    return io.noprop.controller.data.TestData.blobsCsv(tmp);
  }

  private static Map<?, ?> train(String device, Path csv, Path out) throws Exception {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = NopropCommand.execute(new String[] {"train", "--device", device, "--dataset", "csv:" + csv, "--budget", "600", "--seed", "3",
        "--out", out.toString(), "--json", "--quiet", "--batch", "32"}, new PrintWriter(o, true), new PrintWriter(e, true));
    assertEquals(0, code, e.toString());
    String[] lines = o.toString().strip().split("\n");
    return new ObjectMapper().readValue(lines[lines.length - 1], Map.class);
  }

  @Test
  void trainingOverServeGivesTheSameWeightsAsInProcessAndReportsLineTimeAtTheBaudRate() throws Exception {
    SocatPair pair = SocatPair.start(tmp, "bench");
    cleanup.add(pair);
    serve(pair.b(), "ideal", "layers=4-8-2");
    Path csv = blobsCsv();
    String uri = "serial:" + pair.a() + "?baud=115200&timeout_ms=500";
    Map<?, ?> serial = train(uri, csv, tmp.resolve("serial"));
    Map<?, ?> local = train("sim:ideal?layers=4-8-2", csv, tmp.resolve("local"));

    float[] serialWeights = new CheckpointStore(tmp.resolve("serial")).load().weights();
    assertArrayEquals(new CheckpointStore(tmp.resolve("local")).load().weights(), serialWeights);
    assertEquals(local.get("test_accuracy"), serial.get("test_accuracy"));
    assertEquals(((Number) local.get("wire_bytes_sent")).longValue() + 1, ((Number) serial.get("wire_bytes_sent")).longValue(),
        "same frames; the serial link adds only its one flush byte");
    try (Device d = Devices.open(uri)) {
      assertArrayEquals(serialWeights, d.readWeights(ReadWeightsRequest.Source.TARGET), "shadow and device weights differ");
    }

    long bytes = ((Number) serial.get("wire_bytes_sent")).longValue() + ((Number) serial.get("wire_bytes_received")).longValue();
    assertEquals(115200, ((Number) serial.get("link_baud")).intValue());
    assertEquals(bytes * 10.0 / 115200, ((Number) serial.get("link_seconds_at_baud")).doubleValue(), 1e-9);
    assertFalse(local.containsKey("link_seconds_at_baud"), "an in-process run has no line time");
  }

  @Test
  void aRunSurvivesTheCableGoingAwayWithNoStepLostOrAppliedTwice() throws Exception {
    SocatPair pair = SocatPair.start(tmp, "bench");
    cleanup.add(pair);
    serve(pair.b(), "ideal", "layers=16-8-4");
    DatasetSplit data = TestData.blobSplit(16, 4, 5);
    OptimizerConfig spsa = OptimizerConfig.DEFAULT.withBatch(32);
    String uri = "serial:" + pair.a() + "?timeout_ms=300&reconnect_s=10";
    List<Thread> restarts = new ArrayList<>();
    TrainListener unplugAtStep40 = (queries, budget, step, loss, acc) -> {
      if (step != 40) return;
      pair.kill(); // both ends vanish between two requests...
      Thread t = new Thread(() -> {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          return;
        }
        pair.restart(); // ...and come back under the same names 300 ms later
      });
      t.start();
      restarts.add(t);
    };
    RunSummary s;
    long reconnects;
    try (Device d = Devices.open(uri)) {
      s = new Trainer(d, data, RunConfig.of(400, 7, tmp.resolve("serial"), spsa).withCheckpointEvery(0).withLogEvery(10), unplugAtStep40).run();
      reconnects = ((io.noprop.driver.ResilientDevice) d).reconnects();
      assertArrayEquals(new CheckpointStore(tmp.resolve("serial")).load().weights(), d.readWeights(ReadWeightsRequest.Source.TARGET),
          "shadow weights differ from the device's targets");
    }
    for (Thread t : restarts) t.join();
    assertEquals(1, restarts.size(), "the run never reached step 40");
    assertEquals(1, reconnects);
    try (Device d = Devices.open("sim:ideal?layers=16-8-4")) {
      RunSummary local = new Trainer(d, data, RunConfig.of(400, 7, tmp.resolve("local"), spsa).withCheckpointEvery(0).withLogEvery(10), TrainListener.NONE).run();
      assertEquals(local.steps(), s.steps());
      assertArrayEquals(new CheckpointStore(tmp.resolve("local")).load().weights(), new CheckpointStore(tmp.resolve("serial")).load().weights(),
          "a step was lost or applied twice across the reconnect");
    }
  }

  @Test
  void serveOnAMissingPortIsOneLineNamingIt() {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    String port = tmp.resolve("ttyGONE").toString();
    int code = NopropCommand.execute(new String[] {"serve", "--preset", "ideal", "--serial", port}, new PrintWriter(o, true), new PrintWriter(e, true));
    assertEquals(1, code);
    assertTrue(e.toString().startsWith("noprop: error: no such port: " + port), e.toString());
  }
}
