package io.noprop.controller.cli;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** accuracy.png of {@code bench}: test accuracy against queries, per method. */
final class BenchChart {
  private BenchChart() {}

  /** Ten distinct colours (matplotlib's tab10) and six marker shapes: twelve methods stay apart. */
  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
  private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
      SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.CROSS};

  /**
   * Test accuracy against queries: per SPSA-type method the mean over seeds (line with markers) and a
   * translucent min–max band; backprop as a dashed horizontal line at its mean (its band likewise).
   */
  static void write(Path file, List<BenchResults.Row> rows, List<String> methods, List<Long> budgets, List<Long> seeds, String device, String dataset)
      throws IOException {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    var g = BenchResults.group(rows);
    long lo = budgets.get(0);
    long hi = budgets.get(budgets.size() - 1);
    boolean log = hi >= 10 * lo;
    XYChart chart = new XYChartBuilder().width(1150).height(600)
        .title("Test accuracy vs device queries: " + dataset + " on " + device + " (" + seeds.size() + " seeds; line: mean, band: min-max)")
        .xAxisTitle(log ? "device loss queries (log scale)" : "device loss queries").yAxisTitle("test accuracy").build();
    var st = chart.getStyler();
    st.setLegendPosition(Styler.LegendPosition.OutsideE);
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotGridLinesVisible(true);
    st.setXAxisDecimalPattern("#,###");
    st.setYAxisDecimalPattern("0.00");
    st.setXAxisLogarithmic(log);
    double x0 = budgets.size() == 1 ? lo * 0.8 : lo;
    double x1 = budgets.size() == 1 ? hi * 1.2 : hi;
    int i = 0;
    for (String m : methods) {
      TreeMap<Long, List<Double>> byBudget = g.get(m);
      if (byBudget == null) continue;
      Marker marker = MARKERS[i % MARKERS.length];
      Color c = PALETTE[i++ % PALETTE.length];
      Color fill = new Color(c.getRed(), c.getGreen(), c.getBlue(), 60);
      boolean ceiling = m.equals("backprop");
      double[] xs;
      double[] mean;
      double[] mn;
      double[] mx;
      if (ceiling) {
        List<Double> v = byBudget.firstEntry().getValue();
        xs = new double[] {x0, x1};
        mean = new double[] {BenchResults.mean(v), BenchResults.mean(v)};
        mn = new double[] {BenchResults.min(v), BenchResults.min(v)};
        mx = new double[] {BenchResults.max(v), BenchResults.max(v)};
      } else {
        int n = byBudget.size();
        xs = new double[n];
        mean = new double[n];
        mn = new double[n];
        mx = new double[n];
        int k = 0;
        for (var e : byBudget.entrySet()) {
          xs[k] = e.getKey();
          mean[k] = BenchResults.mean(e.getValue());
          mn[k] = BenchResults.min(e.getValue());
          mx[k] = BenchResults.max(e.getValue());
          k++;
        }
      }
      // the band: max forward, min backward, closed polygon
      double[] px = new double[2 * xs.length];
      double[] py = new double[2 * xs.length];
      for (int k = 0; k < xs.length; k++) {
        px[k] = xs[k];
        py[k] = mx[k];
        px[px.length - 1 - k] = xs[k];
        py[py.length - 1 - k] = mn[k];
      }
      XYSeries band = chart.addSeries(m + " min-max", px, py);
      band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
      band.setFillColor(fill);
      band.setLineColor(fill);
      band.setMarker(SeriesMarkers.NONE);
      band.setShowInLegend(false);
      String label = ceiling ? "backprop (software twin, ceiling)" : m;
      XYSeries line = chart.addSeries(label, xs, mean);
      line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
      line.setLineColor(c);
      line.setMarkerColor(c);
      if (ceiling) {
        line.setMarker(SeriesMarkers.NONE);
        line.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 6f}, 0f));
      } else {
        line.setMarker(marker);
        line.setLineStyle(new BasicStroke(2f));
      }
    }
    try (OutputStream o = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, o, BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
