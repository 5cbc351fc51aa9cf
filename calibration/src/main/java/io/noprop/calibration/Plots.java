package io.noprop.calibration;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
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
    c.getStyler().setChartBackgroundColor(Color.WHITE);
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
    save(noiseChart(r), file);
  }

  /**
   * Loss std against batch, both axes logarithmic with labels at 1-2-5 steps (not decades only:
   * the spread rarely spans one), the legend outside the plot so that no point hides under it.
   */
  static XYChart noiseChart(NoiseFloor.Result r) {
    XYChart c = xy("Loss noise floor: std of the loss at fixed weights and batch", "batch (samples)", "loss std (nats)");
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    boolean positive = !r.sweep().isEmpty() && r.sweep().stream().allMatch(p -> p.lossStd() > 0) && r.lossStd() > 0;
    if (!r.sweep().isEmpty()) {
      XYSeries m = c.addSeries("measured (" + r.repeats() + " repeats per batch)", d(r.sweep().stream().map(NoiseFloor.BatchPoint::batch).toList()),
          d(r.sweep().stream().map(NoiseFloor.BatchPoint::lossStd).toList()));
      m.setMarker(SeriesMarkers.CIRCLE);
    }
    XYSeries at = c.addSeries("at batch " + r.batch() + ": " + String.format(Locale.ROOT, "%.4g", r.lossStd()), new double[] {r.batch()},
        new double[] {Math.max(r.lossStd(), 1e-12)});
    at.setMarker(SeriesMarkers.DIAMOND);
    at.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    if (positive) {
      double[] b = d(r.sweep().stream().map(NoiseFloor.BatchPoint::batch).toList());
      double[] v = d(r.sweep().stream().map(NoiseFloor.BatchPoint::lossStd).toList());
      logAxis(c, true, Arrays.stream(b).min().orElse(1), Math.max(r.batch(), Arrays.stream(b).max().orElse(1)));
      logAxis(c, false, Math.min(r.lossStd(), Arrays.stream(v).min().orElse(1)), Math.max(r.lossStd(), Arrays.stream(v).max().orElse(1)));
    }
    return c;
  }

  /**
   * A logarithmic axis labelled between decades too (XChart's decade-only labels leave a plot
   * spanning less than a decade with one label or none), as plain numbers.
   */
  static void logAxis(XYChart c, boolean x, double lo, double hi) {
    var st = c.getStyler();
    // decades only when the data span two or more (more labels would overlap), else 1-9 of each decade;
    // no tick formatting function: with one XChart (3.8.8) computes its ticks as on a linear axis
    boolean decades = hi / lo >= 100;
    if (x) {
      st.setXAxisLogarithmic(true);
      st.setXAxisLogarithmicDecadeOnly(decades);
      st.setXAxisDecimalPattern("#,##0.####");
    } else {
      st.setYAxisLogarithmic(true);
      st.setYAxisLogarithmicDecadeOnly(decades);
      st.setYAxisDecimalPattern("#,##0.####");
    }
  }

  /** 0.002, 0.05, 3, 2,000: no exponent notation on an axis a reader compares by eye. */
  static String plain(Double v) {
    double a = Math.abs(v);
    if (a == 0) return "0";
    if (a >= 1000) return String.format(Locale.ROOT, "%,.0f", v);
    BigDecimal b = new BigDecimal(v).round(new MathContext(3));
    return b.stripTrailingZeros().toPlainString();
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
    XYChart c = xy("Gradient estimates |g| at c = " + r.scale() + "; a0 = " + String.format(Locale.ROOT, "%.4g", r.gainA0()),
        "pair", "|g| (nats per weight unit)");
    double[] x = new double[r.gradients().length];
    for (int i = 0; i < x.length; i++) x[i] = i;
    c.addSeries("|g|", x, r.gradients()).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    XYSeries mean = c.addSeries("mean", new double[] {0, Math.max(1, x.length - 1)}, new double[] {r.meanAbsGradient(), r.meanAbsGradient()});
    mean.setMarker(SeriesMarkers.NONE);
    save(c, file);
  }

  static void writeResponse(WriteResponse.Result r, Path file) throws IOException {
    XYChart c = xy(String.format(Locale.ROOT, "Write response: gain %.4f, offset %.4f, error std %.4f", r.gain(), r.offset(), r.errorStd()),
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
    save(stuckChart(r), file);
  }

  /**
   * The histogram of how far each cell followed the written swing, on a logarithmic count axis (a
   * few stuck cells next to thousands of working ones stay visible), with the threshold drawn: cells
   * left of it are counted stuck.
   */
  static XYChart stuckChart(StuckCells.Result r) {
    XYChart c = xy(String.format(Locale.ROOT, "Stuck cells: %d of %d (%.2f%%) followed less than %.2f of the swing", r.stuck(), r.tested(),
        100 * r.fraction(), r.threshold()), "(read after high - read after low) / written swing", "cells (log scale)");
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    c.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    int[] h = r.responses();
    double floor = 0.5; // an empty bin sits on the axis floor: log(0) has no place on the axis
    double top = 1;
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    xs.add(StuckCells.HIST_FROM);
    ys.add(floor);
    for (int i = 0; i < h.length; i++) {
      double lo = StuckCells.HIST_FROM + StuckCells.HIST_BIN * i;
      double y = Math.max(h[i], floor);
      xs.add(lo);
      ys.add(y);
      xs.add(lo + StuckCells.HIST_BIN);
      ys.add(y);
      top = Math.max(top, h[i]);
    }
    xs.add(StuckCells.HIST_FROM + StuckCells.HIST_BIN * h.length);
    ys.add(floor);
    XYSeries bars = c.addSeries("cells per bin of " + StuckCells.HIST_BIN, xs, ys);
    bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
    bars.setMarker(SeriesMarkers.NONE);
    bars.setFillColor(new Color(0x1f, 0x77, 0xb4, 140));
    bars.setLineColor(new Color(0x1f77b4));
    XYSeries t = c.addSeries(String.format(Locale.ROOT, "threshold %.2f (left of it: stuck)", r.threshold()), new double[] {r.threshold(), r.threshold()},
        new double[] {floor, top * 2});
    t.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    t.setMarker(SeriesMarkers.NONE);
    t.setLineColor(Color.RED);
    t.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f));
    logAxis(c, false, floor, top * 2);
    c.getStyler().setYAxisMin(floor);
    c.getStyler().setXAxisDecimalPattern("0.0");
    return c;
  }

  static void drift(Drift.Result r, Path file) throws IOException {
    save(driftChart(r), file);
  }

  /**
   * Each layer's mean w(t) / w(first read) at every read (markers) on a logarithmic time axis, and
   * the fitted law {@code ((t + t0) / (t1 + t0))^-nu} with the layer's exponent (dashed line, same
   * colour), so that the reported exponent can be checked against the points.
   */
  static XYChart driftChart(Drift.Result r) {
    XYChart c = new XYChartBuilder().width(1000).height(500)
        .title(String.format(Locale.ROOT, "Drift: nu = %.4f (t0 = %.3g s from %s, %s clock)", r.nu(), r.t0(), r.t0Source(), r.clock()))
        .xAxisTitle("time since programming t (s, log scale)").yAxisTitle("mean w(t) / w(first read)").build();
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    Marker[] shapes = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND, SeriesMarkers.TRIANGLE_UP};
    c.getStyler().setYAxisDecimalPattern("0.0000");
    Color[] palette = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b)};
    double[] ages = r.ages();
    if (ages.length < 2) {
      c.addSeries("no age reached", new double[] {1}, new double[] {1});
      return c;
    }
    double t1 = ages[0];
    double[] x = Arrays.copyOfRange(ages, 1, ages.length);
    double lo = x[0];
    double hi = x[x.length - 1];
    int n = 60;
    double[] fx = new double[n];
    for (int k = 0; k < n; k++) fx[k] = lo * Math.pow(hi / lo, k / (double) (n - 1));
    int i = 0;
    for (Drift.LayerDrift l : r.layers()) {
      if (l.meanRatio().length != x.length) continue;
      Marker shape = shapes[i % shapes.length];
      Color col = palette[i++ % palette.length];
      XYSeries pts = c.addSeries(String.format(Locale.ROOT, "layer %d: measured (%d cells)", l.layer(), l.cells()), x, l.meanRatio());
      pts.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      pts.setMarker(shape);
      pts.setMarkerColor(col);
      if (Double.isFinite(l.nu())) {
        double[] fy = new double[n];
        for (int k = 0; k < n; k++) fy[k] = Math.pow((fx[k] + r.t0()) / (t1 + r.t0()), -l.nu());
        XYSeries fit = c.addSeries(String.format(Locale.ROOT, "layer %d: fit nu = %.4f +- %.4f", l.layer(), l.nu(), l.nuStd()), fx, fy);
        fit.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        fit.setMarker(SeriesMarkers.NONE);
        fit.setLineColor(col);
        fit.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
      }
    }
    if (lo > 0) logAxis(c, true, lo, hi);
    return c;
  }

  static void link(LinkTiming.Result r, Path file) throws IOException {
    save(linkChart(r), file);
  }

  /**
   * Median latency per command as bars on a logarithmic axis in µs (a PING of microseconds and a
   * SPSA step of milliseconds on one chart), each bar's value written above it.
   */
  static XYChart linkChart(LinkTiming.Result r) {
    XYChart c = new XYChartBuilder().width(1000).height(520)
        .title(String.format(Locale.ROOT, "Link: %.0f B sent + %.0f B received per SPSA step", r.bytesPerStepSent(), r.bytesPerStepReceived()))
        .xAxisTitle("command (named over its bar)").yAxisTitle("median latency (\u00b5s, log scale)").build();
    var st = c.getStyler();
    st.setChartBackgroundColor(Color.WHITE);
    st.setLegendVisible(false);
    List<LinkTiming.CommandTiming> cmds = r.commands();
    double floor = 1;
    double top = 1;
    for (LinkTiming.CommandTiming t : cmds) {
      floor = Math.min(floor, t.medianMicros() / 2);
      top = Math.max(top, t.medianMicros());
    }
    floor = Math.pow(10, Math.floor(Math.log10(Math.max(floor, 0.01))));
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < cmds.size(); i++) {
      double v = Math.max(cmds.get(i).medianMicros(), floor);
      xs.addAll(List.of(i - 0.35, i - 0.35, i + 0.35, i + 0.35));
      ys.addAll(List.of(floor, v, v, floor));
      // the command and its value over each bar: XChart 3.8.8 cannot put category labels on a logarithmic bar chart's axis
      c.addAnnotation(new AnnotationText(plain(cmds.get(i).medianMicros()) + " \u00b5s", i, v * 1.3, false));
      c.addAnnotation(new AnnotationText(cmds.get(i).command(), i, v * 1.85, false));
    }
    XYSeries bars = c.addSeries("median", xs, ys);
    bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
    bars.setMarker(SeriesMarkers.NONE);
    bars.setFillColor(new Color(0x1f, 0x77, 0xb4, 200));
    bars.setLineColor(new Color(0x1f77b4));
    logAxis(c, false, floor, top * 2);
    st.setYAxisMin(floor);
    st.setYAxisMax(Math.pow(10, Math.ceil(Math.log10(top * 2))));
    st.setXAxisMin(-0.6);
    st.setXAxisMax(cmds.size() - 0.4);
    st.setXAxisTicksVisible(false);
    st.setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    return c;
  }
}
