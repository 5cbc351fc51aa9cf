import io.noprop.controller.data.Dataset;
import io.noprop.controller.data.DatasetCatalog;
import io.noprop.controller.data.DatasetSplit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The peer of issue #17: plain constant-learning-rate SPSA in noiseless float, the way a short
 * script would write it, on the same inputs as {@code ./noprop train} (the controller's own
 * {@code fashion-mnist:pca50} loader and whitening) and the same model (50-128-10, ReLU, softmax
 * cross-entropy), over a grid of learning rates. Nothing here is the chip or the trainer: weights
 * are unbounded floats with PyTorch's {@code nn.Linear} initialisation, no gain calibration, no
 * decay, no clipping.
 *
 * <pre>
 *   per step: one batch of B rows; n Rademacher directions z_j; on that batch
 *   g = (1/n) sum_j (L(w + eps z_j) - L(w - eps z_j)) / (2 eps) z_j;   w -= lr g
 * </pre>
 *
 * Each step costs 2n loss queries; the budget counts queries. Run from the repository root after
 * a build ({@code ./noprop --version} builds controller/target/noprop.jar):
 *
 * <pre>
 *   java -cp controller/target/noprop.jar controller/scripts/PeerSpsa.java \
 *       --lrs 0.02,0.04,0.08,0.16 --budget 100000 --seed 1
 * </pre>
 *
 * Options: --dataset (fashion-mnist:pca50), --data DIR (the IDX files; default: the trainer's
 * search path), --hidden 128, --pairs 4, --batch 1024, --eps 1e-3, --lrs, --budget, --seed,
 * --log N (print the batch loss every N steps).
 * Prints one line per learning rate and the best; one core per run, runs one after the other.
 */
public final class PeerSpsa {
  public static void main(String[] args) {
    String dataset = "fashion-mnist:pca50";
    Path data = null;
    int hidden = 128, pairs = 4, batch = 1024;
    double eps = 1e-3;
    long budget = 100_000, seed = 1;
    int log = 0;
    List<Double> lrs = List.of(0.02, 0.04, 0.08, 0.16);
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
      String v = args[++i];
      switch (a) {
        case "--dataset" -> dataset = v;
        case "--data" -> data = Path.of(v);
        case "--hidden" -> hidden = Integer.parseInt(v);
        case "--pairs" -> pairs = Integer.parseInt(v);
        case "--batch" -> batch = Integer.parseInt(v);
        case "--eps" -> eps = Double.parseDouble(v);
        case "--budget" -> budget = Long.parseLong(v);
        case "--seed" -> seed = Long.parseLong(v);
        case "--log" -> log = Integer.parseInt(v);
        case "--lrs" -> {
          List<Double> l = new ArrayList<>();
          for (String s : v.split(",")) l.add(Double.parseDouble(s));
          lrs = l;
        }
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    DatasetSplit split = DatasetCatalog.load(dataset, data, seed);
    float[][] xtr = features(split.train());
    int[] ytr = labels(split.train());
    float[][] xte = features(split.test());
    int[] yte = labels(split.test());
    int in = split.train().features(), out = split.train().classes();
    System.out.printf(Locale.ROOT, "peer: constant-lr SPSA, noiseless float, %s, %d-%d-%d ReLU, %d directions per batch of %d, eps %g, %,d queries, seed %d%n",
        dataset, in, hidden, out, pairs, batch, eps, budget, seed);
    double bestLr = Double.NaN, best = -1;
    for (double lr : lrs) {
      long t0 = System.nanoTime();
      Mlp net = new Mlp(in, hidden, out, new SplittableRandom(seed));
      net.train(xtr, ytr, lr, eps, pairs, batch, budget, log, new SplittableRandom(seed * 1_000_003L + 17));
      double acc = net.accuracy(xte, yte);
      System.out.printf(Locale.ROOT, "lr %-8g test_accuracy %.4f  (%.0f s)%n", lr, acc, (System.nanoTime() - t0) / 1e9);
      if (acc > best) {
        best = acc;
        bestLr = lr;
      }
    }
    System.out.printf(Locale.ROOT, "best: lr %g test_accuracy %.4f%n", bestLr, best);
  }

  private static float[][] features(Dataset d) {
    float[][] x = new float[d.rows()][d.features()];
    for (int r = 0; r < d.rows(); r++) d.decode(r, x[r]);
    return x;
  }

  private static int[] labels(Dataset d) {
    int[] y = new int[d.rows()];
    for (int r = 0; r < d.rows(); r++) y[r] = d.label(r);
    return y;
  }

  /** in-hidden-out ReLU MLP; the parameters are one flat vector: W1 (in x hidden), b1, W2 (hidden x out), b2. */
  static final class Mlp {
    final int in, hid, out;
    final float[] w;

    Mlp(int in, int hid, int out, SplittableRandom rnd) {
      this.in = in;
      this.hid = hid;
      this.out = out;
      w = new float[in * hid + hid + hid * out + out];
      // nn.Linear's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases
      float b1 = (float) (1 / Math.sqrt(in)), b2 = (float) (1 / Math.sqrt(hid));
      int p = 0;
      for (int i = 0; i < in * hid + hid; i++) w[p++] = (float) ((rnd.nextDouble() * 2 - 1) * b1);
      for (int i = 0; i < hid * out + out; i++) w[p++] = (float) ((rnd.nextDouble() * 2 - 1) * b2);
    }

    void train(float[][] x, int[] y, double lr, double eps, int pairs, int batch, long budget, int log, SplittableRandom rnd) {
      int n = w.length;
      float[] wp = new float[n], wm = new float[n], g = new float[n];
      byte[][] z = new byte[pairs][n];
      int[] rows = new int[batch];
      for (long q = 0; q + 2L * pairs <= budget; q += 2L * pairs) {
        for (int b = 0; b < batch; b++) rows[b] = rnd.nextInt(x.length);
        Arrays.fill(g, 0);
        for (int j = 0; j < pairs; j++) {
          byte[] zj = z[j];
          for (int i = 0; i < n; i++) {
            zj[i] = (byte) (rnd.nextBoolean() ? 1 : -1);
            wp[i] = (float) (w[i] + eps * zj[i]);
            wm[i] = (float) (w[i] - eps * zj[i]);
          }
          double lp = loss(wp, x, y, rows), lm = loss(wm, x, y, rows);
          if (log > 0 && j == 0 && (q / (2L * pairs)) % log == 0) System.out.printf(Locale.ROOT, "  step %d loss %.4f%n", q / (2L * pairs), (lp + lm) / 2);
          double d = (lp - lm) / (2 * eps) / pairs;
          for (int i = 0; i < n; i++) g[i] += (float) (d * zj[i]);
        }
        for (int i = 0; i < n; i++) w[i] -= (float) (lr * g[i]);
      }
    }

    /** Mean softmax cross-entropy of {@code v} over the rows. */
    double loss(float[] v, float[][] x, int[] y, int[] rows) {
      float[] h = new float[hid], o = new float[out];
      double sum = 0;
      for (int r : rows) {
        forward(v, x[r], h, o);
        double max = Double.NEGATIVE_INFINITY;
        for (float t : o) max = Math.max(max, t);
        double s = 0;
        for (float t : o) s += Math.exp(t - max);
        sum += Math.log(s) + max - o[y[r]];
      }
      return sum / rows.length;
    }

    private void forward(float[] v, float[] xi, float[] h, float[] o) {
      int b1 = in * hid, w2 = b1 + hid, b2 = w2 + hid * out;
      System.arraycopy(v, b1, h, 0, hid);
      for (int i = 0; i < in; i++) {
        float xv = xi[i];
        int base = i * hid;
        for (int k = 0; k < hid; k++) h[k] += xv * v[base + k];
      }
      System.arraycopy(v, b2, o, 0, out);
      for (int k = 0; k < hid; k++) {
        float hv = h[k];
        if (hv <= 0) continue; // ReLU
        int base = w2 + k * out;
        for (int c = 0; c < out; c++) o[c] += hv * v[base + c];
      }
    }

    double accuracy(float[][] x, int[] y) {
      float[] h = new float[hid], o = new float[out];
      int ok = 0;
      for (int r = 0; r < x.length; r++) {
        forward(w, x[r], h, o);
        int arg = 0;
        for (int c = 1; c < out; c++) if (o[c] > o[arg]) arg = c;
        if (arg == y[r]) ok++;
      }
      return (double) ok / x.length;
    }
  }
}
