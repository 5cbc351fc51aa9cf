package io.noprop.controller.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TrainProgressTest {
  @Test
  void offATerminalProgressIsPlainLinesWithoutCarriageReturnsAndARateFromFractionalSeconds() {
    StringWriter w = new StringWriter();
    try (TrainProgress p = new TrainProgress(TrainProgress.Mode.LINES, new PrintWriter(w), 80, 0)) {
      p.onStep(0, 1000, 0, Double.NaN, Double.NaN);
      for (int q = 2; q <= 200; q += 2) p.onStep(q, 1000, q / 2, 0.5, 0.75);
    }
    String out = w.toString();
    assertFalse(out.contains("\r"), out);
    String last = out.strip().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(last.startsWith("train  20% 200/1000 q, ") && last.contains("step 100 loss 0.500 acc 0.750"), last);
    // all within well under a second: whole seconds would divide by zero (Infinity) or print 0
    double rate = Double.parseDouble(last.replaceAll(".* q, ([0-9.]+) q/s.*", "$1"));
    assertTrue(rate > 0 && Double.isFinite(rate), last);
  }

  @Test
  void onATerminalTheBarFillsTheWidthAndTheLineIsEndedBeforeAMessageAndAtTheEnd() {
    StringWriter w = new StringWriter();
    TrainProgress p = new TrainProgress(TrainProgress.Mode.BAR, new PrintWriter(w), 100, 0);
    String line = p.line(50_000, 100_000, 2500, 0.5, 0.8, 1234.5);
    assertEquals(99, line.length(), line);
    int bar = line.indexOf(']') - line.indexOf('[') - 1;
    assertTrue(bar >= 25, "a quarter of the line at least; a bar of " + bar + " columns at 100: " + line);
    assertTrue(line.contains("[" + "=".repeat(bar / 2)), line);
    p.onStep(0, 10, 0, 1, 0);
    p.onStep(4, 10, 2, 1, 0);
    p.onMessage("hello");
    assertTrue(w.toString().contains("\n" + "hello\n") && w.toString().startsWith("\rtrain"), w.toString());
    p.onStep(8, 10, 4, 1, 0);
    p.close();
    assertTrue(w.toString().endsWith("\n"), "the prompt starts on a line of its own");
    assertEquals(79, new TrainProgress(TrainProgress.Mode.BAR, new PrintWriter(new StringWriter()), 80, 0).line(1, 100_000_000, 1, 1, 1, 1).length());
  }
}
