package io.noprop.controller.data;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds Fashion-MNIST (Xiao et al. 2017; 60,000 train and 10,000 test images, 28x28, 10 classes):
 * in {@code --data DIR}, else {@code ~/.cache/noprop/fashion-mnist}, else
 * {@code /usr/share/datasets/fashion-mnist} (Debian package {@code dataset-fashion-mnist}), else
 * downloads into the cache from the dataset's mirrors, else unpacks the Debian package into the
 * cache without root. Files may be gzipped or not.
 */
public final class FashionMnist {
  public static final String[] FILES = {
      "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
  public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");
  public static final List<String> MIRRORS = List.of(
      "https://github.com/zalandoresearch/fashion-mnist/raw/master/data/fashion/",
      "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/");

  private final Path explicitDir;
  private final Path cacheDir;
  private final Path systemDir;
  private final List<String> mirrors;
  private final boolean debianFallback;

  /** @param debianFallback try {@code apt-get download dataset-fashion-mnist} when the mirrors fail */
  public FashionMnist(Path explicitDir, Path cacheDir, Path systemDir, List<String> mirrors, boolean debianFallback) {
    this.explicitDir = explicitDir;
    this.cacheDir = cacheDir;
    this.systemDir = systemDir;
    this.mirrors = mirrors;
    this.debianFallback = debianFallback;
  }

  /** The default search: {@code --data} (may be null), the user cache, the Debian package, the mirrors. */
  public static FashionMnist standard(Path explicitDir) {
    return new FashionMnist(explicitDir, Path.of(System.getProperty("user.home"), ".cache", "noprop", "fashion-mnist"), SYSTEM_DIR, MIRRORS, true);
  }

  public DatasetSplit load() {
    Path dir = locate();
    Dataset train = IdxReader.read("fashion-mnist/train", file(dir, FILES[0]), file(dir, FILES[1]), 10);
    Dataset test = IdxReader.read("fashion-mnist/test", file(dir, FILES[2]), file(dir, FILES[3]), 10);
    return new DatasetSplit(train, test);
  }

  /** The first directory holding all four files, fetching into the cache if none does. */
  public Path locate() {
    List<String> looked = new ArrayList<>();
    if (explicitDir != null) {
      if (complete(explicitDir)) return explicitDir;
      throw new DataException("--data " + explicitDir + " does not hold the Fashion-MNIST files " + String.join(", ", FILES) + " (.gz or not)");
    }
    for (Path d : new Path[] {cacheDir, systemDir}) {
      if (complete(d)) return d;
      looked.add(d.toString());
    }
    String why = fetch();
    if (why == null) return cacheDir;
    if (debianFallback) {
      String deb = fetchDebianPackage();
      if (deb == null) return cacheDir;
      why = why + "; " + deb;
    }
    throw new DataException("Fashion-MNIST not found in " + String.join(" or ", looked) + ", and the download failed (" + why
        + "). Install it with 'apt-get install dataset-fashion-mnist', or pass --data DIR holding " + String.join(", ", FILES) + " (.gz or not)");
  }

  private static boolean complete(Path dir) {
    for (String f : FILES) if (file(dir, f) == null) return false;
    return true;
  }

  private static Path file(Path dir, String base) {
    for (String name : new String[] {base + ".gz", base}) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) return p;
    }
    return null;
  }

  /**
   * Unpacks Debian's {@code dataset-fashion-mnist} into the cache without root
   * ({@code apt-get download} then {@code dpkg -x}); returns null on success or why it failed.
   */
  private String fetchDebianPackage() {
    try {
      Path work = Files.createTempDirectory("noprop-fmnist");
      try {
        if (!runs(work, "apt-get", "download", "dataset-fashion-mnist")) return "apt-get download dataset-fashion-mnist failed";
        Path deb;
        try (var s = Files.list(work)) {
          deb = s.filter(p -> p.toString().endsWith(".deb")).findFirst().orElse(null);
        }
        if (deb == null) return "apt-get download produced no .deb";
        if (!runs(work, "dpkg", "-x", deb.toString(), "root")) return "dpkg -x failed";
        Path src = work.resolve("root").resolve(SYSTEM_DIR.toString().substring(1));
        if (!complete(src)) return "the Debian package does not hold the expected files";
        Files.createDirectories(cacheDir);
        for (String f : FILES) {
          Path p = file(src, f);
          Files.copy(p, cacheDir.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        return null;
      } finally {
        try (var s = Files.walk(work)) {
          s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    } catch (IOException e) {
      return "unpacking the Debian package failed: " + e.getMessage();
    }
  }

  private static boolean runs(Path dir, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Downloads the four files into the cache; returns null on success or the reason it failed. */
  private String fetch() {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
    String lastError = "no mirror configured";
    for (String mirror : mirrors) {
      try {
        Files.createDirectories(cacheDir);
        for (String f : FILES) {
          Path dest = cacheDir.resolve(f + ".gz");
          if (Files.isRegularFile(dest)) continue;
          HttpRequest req = HttpRequest.newBuilder(URI.create(mirror + f + ".gz")).timeout(Duration.ofSeconds(120)).build();
          HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
          if (resp.statusCode() != 200) throw new IOException("HTTP " + resp.statusCode() + " for " + req.uri());
          Path tmp = Files.createTempFile(cacheDir, f, ".part");
          try (InputStream in = resp.body()) {
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
          }
          Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return null;
      } catch (IOException e) {
        lastError = mirror + ": " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "interrupted";
      }
    }
    return lastError;
  }
}
