package io.noprop.calibration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** One PNG per routine (XChart), named after the routine. */
final class Plots {
  private Plots() {}

  static {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
  }

  private static XYChart xy(String title, String x, String y) {
    XYChart c = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(x).yAxisTitle(y).build();
    c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    return c;
  }

  private static void save(Object chart, Path file) throws IOException {
    String base = file.toString().endsWith(".png") ? file.toString().substring(0, file.toString().length() - 4) : file.toString();
    if (chart instanceof XYChart c) BitmapEncoder.saveBitmap(c, base, BitmapEncoder.BitmapFormat.PNG);
    else BitmapEncoder.saveBitmap((CategoryChart) chart, base, BitmapEncoder.BitmapFormat.PNG);
  }

  private static double[] d(List<? extends Number> v) {
    return v.stream().mapToDouble(Number::doubleValue).toArray();
  }

  static void noiseFloor(NoiseFloor.Result r, Path file) throws IOException {
    XYChart c = xy("Loss noise floor: std of the loss at fixed weights and batch", "batch (samples)", "loss std (nats)");
    if (!r.sweep().isEmpty() && r.sweep().stream().allMatch(p -> p.lossStd() > 0)) {
      c.getStyler().setXAxisLogarithmic(true);
      c.getStyler().setYAxisLogarithmic(true);
      c.addSeries("measured", d(r.sweep().stream().map(NoiseFloor.BatchPoint::batch).toList()),
          d(r.sweep().stream().map(NoiseFloor.BatchPoint::lossStd).toList()));
    } else if (!r.sweep().isEmpty()) {
      c.addSeries("measured", d(r.sweep().stream().map(NoiseFloor.BatchPoint::batch).toList()),
          d(r.sweep().stream().map(NoiseFloor.BatchPoint::lossStd).toList()));
    }
    XYSeries at = c.addSeries("batch " + r.batch() + ": " + String.format(java.util.Locale.ROOT, "%.4g", r.lossStd()), new double[] {r.batch()},
        new double[] {Math.max(r.lossStd(), 1e-12)});
    at.setMarker(SeriesMarkers.DIAMOND);
    at.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    save(c, file);
  }

  static void perturbation(PerturbationSweep.Result r, Path file) throws IOException {
    XYChart c = xy("SNR of L(w+hz) - L(w-hz) against the perturbation scale", "scale h (weight units)", "SNR (median |diff| / (sqrt2 loss std))");
    c.getStyler().setXAxisLogarithmic(true);
    boolean logY = r.global().stream().allMatch(p -> p.snr() > 0) && r.layers().stream().allMatch(l -> l.probes().stream().allMatch(p -> p.snr() > 0));
    c.getStyler().setYAxisLogarithmic(logY);
    c.addSeries("whole vector (seeded)", d(r.global().stream().map(PerturbationSweep.ScaleProbe::scale).toList()),
        d(r.global().stream().map(PerturbationSweep.ScaleProbe::snr).toList()));
    for (PerturbationSweep.LayerSweep l : r.layers()) {
      c.addSeries("layer " + l.layer() + " (written)", d(l.probes().stream().map(PerturbationSweep.ScaleProbe::scale).toList()),
          d(l.probes().stream().map(PerturbationSweep.ScaleProbe::snr).toList()));
    }
    double[] xs = {r.global().get(0).scale(), r.global().get(r.global().size() - 1).scale()};
    XYSeries m = c.addSeries("margin " + r.margin(), xs, new double[] {r.margin(), r.margin()});
    m.setMarker(SeriesMarkers.NONE);
    save(c, file);
  }

  static void stepSize(StepSize.Result r, Path file) throws IOException {
    XYChart c = xy("Gradient estimates |g| at c = " + r.scale() + "; a0 = " + String.format(java.util.Locale.ROOT, "%.4g", r.gainA0()),
        "pair", "|g| (nats per weight unit)");
    double[] x = new double[r.gradients().length];
    for (int i = 0; i < x.length; i++) x[i] = i;
    c.addSeries("|g|", x, r.gradients()).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    XYSeries mean = c.addSeries("mean", new double[] {0, Math.max(1, x.length - 1)}, new double[] {r.meanAbsGradient(), r.meanAbsGradient()});
    mean.setMarker(SeriesMarkers.NONE);
    save(c, file);
  }

  static void writeResponse(WriteResponse.Result r, Path file) throws IOException {
    XYChart c = xy(String.format(java.util.Locale.ROOT, "Write response: gain %.4f, offset %.4f, error std %.4f", r.gain(), r.offset(), r.errorStd()),
        "target (weight units)", "read-back (weight units)");
    c.getStyler().setXAxisDecimalPattern("0.##");
    double[] t = d(r.points().stream().map(WriteResponse.Point::target).toList());
    double[] m = d(r.points().stream().map(WriteResponse.Point::meanRead).toList());
    double[] e = d(r.points().stream().map(WriteResponse.Point::stdRead).toList());
    c.addSeries("mean read-back +- std", t, m, e);
    double[] fit = new double[t.length];
    for (int i = 0; i < t.length; i++) fit[i] = r.gain() * t[i] + r.offset();
    c.addSeries("fit (central 80%)", t, fit).setMarker(SeriesMarkers.NONE);
    save(c, file);
  }

  static void stuckCells(StuckCells.Result r, Path file) throws IOException {
    CategoryChart c = new CategoryChartBuilder().width(800).height(500)
        .title(String.format(java.util.Locale.ROOT, "Stuck cells: %d of %d (%.2f%%)", r.stuck(), r.tested(), 100 * r.fraction()))
        .xAxisTitle("(read after high - read after low) / written swing").yAxisTitle("cells").build();
    c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    List<String> bins = new java.util.ArrayList<>();
    List<Double> counts = new java.util.ArrayList<>();
    for (int i = 0; i < r.responses().length; i++) {
      bins.add(String.format(java.util.Locale.ROOT, "%.2f", -0.05 + 0.055 * (i + 0.5)));
      counts.add((double) r.responses()[i]);
    }
    c.getStyler().setXAxisLabelRotation(90);
    c.addSeries("cells", bins, counts);
    save(c, file);
  }

  static void drift(Drift.Result r, Path file) throws IOException {
    XYChart c = xy(String.format(java.util.Locale.ROOT, "Drift: nu = %.4f (t0 = %.3g s, %s clock)", r.nu(), r.t0(), r.clock()),
        "time since programming + t0 (s)", "mean w(t) / w(first read)");
    c.getStyler().setXAxisLogarithmic(true);
    if (r.ages().length >= 2) {
      double[] x = new double[r.ages().length - 1];
      for (int k = 1; k < r.ages().length; k++) x[k - 1] = r.ages()[k] + r.t0();
      for (Drift.LayerDrift l : r.layers()) {
        if (l.meanRatio().length == x.length) c.addSeries(String.format(java.util.Locale.ROOT, "layer %d, nu %.4f", l.layer(), l.nu()), x, l.meanRatio());
      }
    } else {
      c.addSeries("no age reached", new double[] {1}, new double[] {1});
    }
    save(c, file);
  }

  static void link(LinkTiming.Result r, Path file) throws IOException {
    CategoryChart c = new CategoryChartBuilder().width(800).height(500)
        .title(String.format(java.util.Locale.ROOT, "Link: %.0f B sent + %.0f B received per SPSA step", r.bytesPerStepSent(), r.bytesPerStepReceived()))
        .xAxisTitle("command").yAxisTitle("median latency (us)").build();
    c.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    c.getStyler().setXAxisLabelRotation(20);
    c.addSeries("median", r.commands().stream().map(LinkTiming.CommandTiming::command).toList(),
        r.commands().stream().map(LinkTiming.CommandTiming::medianMicros).toList());
    save(c, file);
  }
}
