package io.noprop.controller.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Names a user can pass to {@code --dataset}: {@code fashion-mnist}, {@code fashion-mnist:poolK}
 * (K x K average-pooled, for small models), {@code fashion-mnist:pcaK} (K whitened principal
 * components, see {@link PcaWhitening}), or {@code csv:PATH} (label in
 * the last column; {@code csv-first:PATH} for the first), split 80/20 into train and test by row
 * order after a seeded shuffle.
 */
public final class DatasetCatalog {
  private DatasetCatalog() {}

  public static DatasetSplit load(String spec, Path dataDir, long seed) {
    if (spec.equals("fashion-mnist")) return FashionMnist.standard(dataDir).load();
    if (spec.startsWith("fashion-mnist:pool")) {
      int k = suffix(spec, "fashion-mnist:pool", "the pooling factor must be a number, e.g. fashion-mnist:pool4 (7x7 = 49 features)");
      DatasetSplit s = FashionMnist.standard(dataDir).load();
      return new DatasetSplit(ImagePooling.pool(s.train(), k), ImagePooling.pool(s.test(), k));
    }
    if (spec.startsWith("fashion-mnist:pca")) {
      int k = suffix(spec, "fashion-mnist:pca", "the number of components must be a number, e.g. fashion-mnist:pca50");
      return PcaWhitening.apply(FashionMnist.standard(dataDir).load(), k);
    }
    if (spec.startsWith("csv:") || spec.startsWith("csv-first:")) {
      Path p = Path.of(spec.substring(spec.indexOf(':') + 1));
      if (!Files.isRegularFile(p)) throw new DataException("CSV file " + p + " does not exist");
      Dataset all = CsvReader.read(p, spec.startsWith("csv-first:") ? CsvReader.LabelColumn.FIRST : CsvReader.LabelColumn.LAST);
      return split(shuffle(all, seed), 0.8);
    }
    throw new DataException("unknown dataset '" + spec + "'; use fashion-mnist, fashion-mnist:pca50, fashion-mnist:pool4 or csv:PATH (label in the last column)");
  }

  /**
   * Checks the name without loading anything (the Fashion-MNIST variants take seconds to load and
   * whiten): an unknown name, a bad number or a missing CSV file fails here, before the load.
   */
  public static void check(String spec) {
    if (spec.equals("fashion-mnist")) return;
    if (spec.startsWith("fashion-mnist:pool")) {
      int k = suffix(spec, "fashion-mnist:pool", "the pooling factor must be a number, e.g. fashion-mnist:pool4 (7x7 = 49 features)");
      if (k < 1 || 28 % k != 0) throw new DataException("'" + spec + "': a 28x28 image does not pool by " + k + " (pick a divisor of 28: 1, 2, 4, 7, 14, 28)");
      return;
    }
    if (spec.startsWith("fashion-mnist:pca")) {
      int k = suffix(spec, "fashion-mnist:pca", "the number of components must be a number, e.g. fashion-mnist:pca50");
      if (k < 1 || k > 784) throw new DataException("'" + spec + "': the number of components must be in [1, 784], e.g. fashion-mnist:pca50");
      return;
    }
    if (spec.startsWith("csv:") || spec.startsWith("csv-first:")) {
      Path p = Path.of(spec.substring(spec.indexOf(':') + 1));
      if (!Files.isRegularFile(p)) throw new DataException("CSV file " + p + " does not exist");
      return;
    }
    load(spec, null, 0); // throws the unknown-name message
  }

  /**
   * Features and classes of a catalogue dataset known from its name alone, or null when the data
   * must be read to know (a CSV file).
   */
  public static int[] shape(String spec) {
    check(spec);
    if (spec.equals("fashion-mnist")) return new int[] {784, 10};
    if (spec.startsWith("fashion-mnist:pool")) {
      int side = 28 / Integer.parseInt(spec.substring("fashion-mnist:pool".length()));
      return new int[] {side * side, 10};
    }
    if (spec.startsWith("fashion-mnist:pca")) return new int[] {Integer.parseInt(spec.substring("fashion-mnist:pca".length())), 10};
    return null;
  }

  /** The number after {@code prefix} in {@code spec}, or a DataException saying {@code what}. */
  private static int suffix(String spec, String prefix, String what) {
    try {
      return Integer.parseInt(spec.substring(prefix.length()));
    } catch (NumberFormatException e) {
      throw new DataException("'" + spec + "': " + what);
    }
  }

  static Dataset shuffle(Dataset d, long seed) {
    int rb = d.rowBytes();
    int[] order = new int[d.rows()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = order.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    byte[] out = new byte[d.packed().length];
    for (int i = 0; i < order.length; i++) System.arraycopy(d.packed(), order[i] * rb, out, i * rb, rb);
    return new Dataset(d.name(), d.rows(), d.features(), d.classes(), d.encoding(), out);
  }

  static DatasetSplit split(Dataset d, double trainFraction) {
    int nTrain = (int) Math.round(d.rows() * trainFraction);
    if (nTrain < 1 || nTrain >= d.rows()) throw new DataException(d.name() + ": " + d.rows() + " rows are too few to split into train and test");
    int rb = d.rowBytes();
    byte[] a = Arrays.copyOfRange(d.packed(), 0, nTrain * rb);
    byte[] b = Arrays.copyOfRange(d.packed(), nTrain * rb, d.packed().length);
    return new DatasetSplit(
        new Dataset(d.name() + "/train", nTrain, d.features(), d.classes(), d.encoding(), a),
        new Dataset(d.name() + "/test", d.rows() - nTrain, d.features(), d.classes(), d.encoding(), b));
  }
}
