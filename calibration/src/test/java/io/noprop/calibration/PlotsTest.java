package io.noprop.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.driver.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * What a scientist checks on the calibration plots, on the results of the routines run against
 * simulated chips; the PNGs go to {@code target/plots/} for a look.
 */
class PlotsTest {
  static final Path OUT = Path.of("target", "plots");

  @BeforeAll
  static void dir() throws Exception {
    Files.createDirectories(OUT);
  }

  @Test
  void driftShowsSeveralTimesPerLayerOnALogAxisWithTheFittedLaw() throws Exception {
    Drift.Result r;
    try (Device d = Chips.prepare(Chips.device(Chips.chip("pcm", Map.of("layers", "16-8-4"))))) {
      r = new Drift(Drift.DEFAULT_AGES, 20, 2000, 0, 3600, 0.02).run(Chips.session(d));
    }
    XYChart c = Plots.driftChart(r);
    Plots.drift(r, OUT.resolve("drift.png"));
    assertTrue(c.getStyler().isXAxisLogarithmic(), "log time axis");
    for (Drift.LayerDrift l : r.layers()) {
      XYSeries measured = c.getSeriesMap().get(String.format(java.util.Locale.ROOT, "layer %d: measured (%d cells)", l.layer(), l.cells()));
      assertTrue(measured.getXData().length >= 3, "layer " + l.layer() + ": " + measured.getXData().length + " time points");
      XYSeries fit = c.getSeriesMap().values().stream().filter(s -> s.getName().startsWith("layer " + l.layer() + ": fit nu")).findFirst().orElseThrow();
      // the drawn law passes through the measured points: the exponent can be checked on the plot
      double[] fx = fit.getXData();
      double[] fy = fit.getYData();
      double last = measured.getYData()[measured.getYData().length - 1];
      assertEquals(last, fy[fy.length - 1], 0.002, "fit at the last read");
      assertEquals(measured.getXData()[measured.getXData().length - 1], fx[fx.length - 1], 1e-9);
    }
  }

  @Test
  void theNoisePlotLabelsItsLogAxisAndKeepsTheLegendOffThePoints() throws Exception {
    NoiseFloor.Result r;
    try (Device d = Chips.prepare(Chips.device(Chips.chip("rram", Map.of("layers", "16-8-4"))))) {
      r = new NoiseFloor(20, 20, new int[] {16, 64, 256}).run(Chips.session(d));
    }
    XYChart c = Plots.noiseChart(r);
    Plots.noiseFloor(r, OUT.resolve("noise.png"));
    assertTrue(c.getStyler().isYAxisLogarithmic());
    assertFalse(c.getStyler().isYAxisLogarithmicDecadeOnly(), "labels between decades: the spread rarely spans one");
    assertEquals(Styler.LegendPosition.OutsideS, c.getStyler().getLegendPosition(), "the legend sits outside the plot area");
    assertEquals("0.005", Plots.plain(0.005));
    assertEquals("2,000", Plots.plain(2000.0));
  }

  @Test
  void linkTimingIsInMicrosecondsOnALogAxis() throws Exception {
    LinkTiming.Result r;
    try (Device d = Chips.prepare(Chips.device(Chips.chip("rram", Map.of("layers", "16-8-4"))))) {
      r = new LinkTiming(5).run(Chips.session(d));
    }
    XYChart c = Plots.linkChart(r);
    Plots.link(r, OUT.resolve("link.png"));
    assertTrue(c.getStyler().isYAxisLogarithmic(), "PING and a SPSA step differ by orders of magnitude");
    assertTrue(c.getYAxisTitle().contains("\u00b5s") && !c.getYAxisTitle().contains("us)"), c.getYAxisTitle());
  }

  @Test
  void stuckCellsHaveALogCountAxisAndTheThresholdDrawn() throws Exception {
    StuckCells.Result r;
    try (Device d = Chips.prepare(Chips.device(Chips.chip("harsh", Map.of("layers", "16-8-4"))))) {
      r = new StuckCells(0.5).run(Chips.session(d));
    }
    XYChart c = Plots.stuckChart(r);
    Plots.stuckCells(r, OUT.resolve("stuck.png"));
    assertTrue(c.getStyler().isYAxisLogarithmic());
    XYSeries t = c.getSeriesMap().values().stream().filter(s -> s.getName().startsWith("threshold")).findFirst().orElseThrow();
    assertEquals(List.of(0.5, 0.5), List.of(t.getXData()[0], t.getXData()[1]), "a vertical line at the threshold");
  }
}
