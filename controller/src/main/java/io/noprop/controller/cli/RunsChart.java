package io.noprop.controller.cli;

import io.noprop.controller.runs.MetricsSeries;
import io.noprop.controller.runs.RunRecord;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG of {@code noprop runs plot}: training loss (top) and accuracy (bottom) against queries, one colour per run. */
final class RunsChart {
  private RunsChart() {}

  private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
  static final int WIDTH = 1100;
  static final int PANEL = 420;

  static void write(Path file, List<RunRecord> runs, boolean logX) throws IOException {
    if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    XYChart loss = panel("Training loss (running mean) vs device queries", "train loss (nats)", logX);
    XYChart acc = panel("Training accuracy (running mean) vs device queries", "train accuracy", logX);
    acc.getStyler().setYAxisDecimalPattern("0.00");
    int i = 0;
    for (RunRecord r : runs) {
      Color c = PALETTE[i++ % PALETTE.length];
      String label = r.name() + (r.method() == null ? "" : " (" + r.method() + ")") + (r.testAccuracy() == null ? "" : String.format(Locale.ROOT, ", test %.4f", r.testAccuracy()));
      add(loss, label, r.metrics(), r.metrics().loss(), c, logX);
      add(acc, label, r.metrics(), r.metrics().accuracy(), c, logX);
    }
    BufferedImage img = new BufferedImage(WIDTH, 2 * PANEL, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, 2 * PANEL);
    loss.paint(g, WIDTH, PANEL);
    g.translate(0, PANEL);
    acc.paint(g, WIDTH, PANEL);
    g.dispose();
    ImageIO.write(img, "png", file.toFile());
  }

  private static XYChart panel(String title, String y, boolean logX) {
    XYChart c = new XYChartBuilder().width(WIDTH).height(PANEL).title(title).xAxisTitle(logX ? "device loss queries (log scale)" : "device loss queries")
        .yAxisTitle(y).build();
    var st = c.getStyler();
    st.setLegendPosition(Styler.LegendPosition.OutsideE);
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotGridLinesVisible(true);
    st.setXAxisDecimalPattern("#,###");
    st.setXAxisLogarithmic(logX);
    st.setMarkerSize(0);
    return c;
  }

  /** One run's rows with a finite value (and queries above zero on a log axis). */
  private static void add(XYChart chart, String label, MetricsSeries m, double[] y, Color c, boolean logX) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int k = 0; k < m.size(); k++) {
      if (!Double.isFinite(y[k]) || (logX && m.queries()[k] <= 0)) continue;
      xs.add((double) m.queries()[k]);
      ys.add(y[k]);
    }
    if (xs.isEmpty()) return;
    XYSeries s = chart.addSeries(label, xs, ys);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    s.setLineColor(c);
    s.setMarkerColor(c);
    s.setMarker(xs.size() == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
    s.setLineStyle(new BasicStroke(2f));
  }
}
