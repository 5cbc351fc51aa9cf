package io.noprop.calibration;

import io.noprop.driver.WireStats;
import io.noprop.protocol.msg.BatchSelector;
import io.noprop.protocol.msg.Distribution;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.Perturbation;
import io.noprop.protocol.msg.SeedTerm;
import io.noprop.protocol.msg.UpdateRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Latency per command and bytes per step on this link, measured through the {@link Device} as the
 * trainer uses it: PING (8 bytes), EVALUATE of one sample and of the training batch, UPDATE with
 * one term of coefficient 0 (a full UPDATE exchange that moves no weight), a whole SPSA step
 * (EVALUATE +, EVALUATE -, UPDATE), and a whole-vector READ_WEIGHTS and WRITE_WEIGHTS (of the
 * targets the chip already holds). Bytes come from the link's own counters (frames, COBS and
 * delimiters included).
 */
public final class LinkTiming {
  private static final int WARM_UP = 3;
  private final int repeats;

  /** @param repeats timed repetitions of each command (at least 3) */
  public LinkTiming(int repeats) {
    if (repeats < 3) throw new IllegalArgumentException("repeats must be >= 3: " + repeats);
    this.repeats = repeats;
  }

  /**
   * @param commands latency and bytes of each command
   * @param bytesPerStepSent bytes sent per SPSA step (two EVALUATEs and one UPDATE)
   * @param bytesPerStepReceived bytes received per SPSA step
   * @param stepsPerSecond SPSA steps per second of wall time on this link, chip time included
   * @param queries loss queries spent
   */
  public record Result(List<CommandTiming> commands, double bytesPerStepSent, double bytesPerStepReceived, double stepsPerSecond, long queries) {}

  /** @param medianMicros median wall time per call (us); p95Micros its 95th percentile */
  public record CommandTiming(String command, int count, double medianMicros, double p95Micros, double bytesSent, double bytesReceived) {}

  public Result run(CalibrationSession s) {
    var d = s.device();
    List<CommandTiming> out = new ArrayList<>();
    byte[] ping = {1, 2, 3, 4, 5, 6, 7, 8};
    out.add(time(s, "PING", repeats, () -> {
      d.ping(ping);
      return null;
    }));
    out.add(time(s, "EVALUATE batch 1", repeats, () -> d.evaluate(new EvaluateRequest(s.slot(), BatchSelector.seeded(s.seed(), 1), Perturbation.NONE))));
    out.add(time(s, "EVALUATE batch " + s.batchSize(), repeats,
        () -> d.evaluate(new EvaluateRequest(s.slot(), BatchSelector.seeded(s.seed(), s.batchSize()), Perturbation.NONE))));
    UpdateRequest noop = new UpdateRequest(Distribution.RADEMACHER, List.of(new SeedTerm(12345, 0f)));
    out.add(time(s, "UPDATE 1 term", repeats, () -> d.update(noop)));
    CommandTiming step = time(s, "SPSA step", repeats, () -> {
      s.seededDifference(s.seed(), s.batchSize(), 777, 0.01);
      return d.update(noop);
    });
    out.add(step);
    int big = Math.max(3, Math.min(repeats, 5));
    float[] w = s.targets();
    out.add(time(s, "READ_WEIGHTS all " + w.length, big, () -> s.targets()));
    out.add(time(s, "WRITE_WEIGHTS all " + w.length, big, () -> {
      d.writeWeights(w);
      return null;
    }));
    long queries = 4L * (repeats + WARM_UP); // warm-ups included
    return new Result(out, step.bytesSent(), step.bytesReceived(), 1e6 / step.medianMicros(), queries);
  }

  private static CommandTiming time(CalibrationSession s, String name, int n, Supplier<Object> call) {
    for (int i = 0; i < WARM_UP; i++) call.get(); // JIT and caches, not counted
    double[] us = new double[n];
    WireStats before = s.device().wireStats();
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      call.get();
      us[i] = (System.nanoTime() - t) / 1e3;
    }
    WireStats w = s.device().wireStats().minus(before);
    return new CommandTiming(name, n, Stats.median(us), Stats.percentile(us, 95), (double) w.bytesSent() / n, (double) w.bytesReceived() / n);
  }
}
