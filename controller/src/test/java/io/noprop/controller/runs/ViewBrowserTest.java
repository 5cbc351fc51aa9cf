package io.noprop.controller.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.noprop.controller.cli.CliRunner;
import io.noprop.controller.data.TestData;
import io.noprop.controller.train.MetricsLog;
import io.noprop.controller.train.ProcessRecord;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Wait;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live view in a real headless browser: Debian's chromium driven through its chromedriver by
 * Selenium. The page loads; a running run's curve grows as its metrics.csv does; a finished run's
 * figures on the page are its summary.json's. Writes a screenshot of the page to
 * {@code target/live-view.png}.
 *
 * <p>Needs {@code apt-get install chromium chromium-driver}; skipped with the reason without them,
 * except under {@code CI=true} ({@code .ci/run} installs both), where it fails.
 */
@Tag("integration") // tier: integration (a real peer: the chromium browser; README "Test tiers")
class ViewBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** A guard against a hang, never a pass condition: each wait ends as soon as the page shows what it waits for. */
  static final Duration HANG_GUARD = Duration.ofSeconds(90);

  @TempDir Path tmp;
  LiveViewServer server;
  WebDriver browser;

  @BeforeEach
  void browser() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (!"true".equals(System.getenv("CI"))) {
      Assumptions.assumeTrue(present, "skipped: needs " + CHROMIUM + " and " + CHROMEDRIVER + " (apt-get install chromium chromium-driver)");
    }
    ChromeOptions o = new ChromeOptions();
    o.setBinary(CHROMIUM.toFile()); // the explicit browser and driver: Selenium Manager never goes to the network
    o.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1250",
        "--user-data-dir=" + tmp.resolve("chromium-profile")); // the test's own directory: the profile Chromium makes itself stays in /tmp
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, o);
  }

  @AfterEach
  void stop() {
    if (browser != null) browser.quit();
    if (server != null) server.close();
  }

  @Test
  void thePageShowsARunningCurveGrowingAndAFinishedRunsSummaryFigures() throws Exception {
    Path root = tmp.resolve("runs");
    // a finished run: a real training on the simulated chip, through the CLI that writes summary.json
    Path done = root.resolve("finished-run");
    CliRunner.Result r = CliRunner.run("train", "--device", "sim:rram?layers=4-8-2", "--dataset", "csv:" + TestData.blobsCsv(tmp), "--budget", "600",
        "--seed", "3", "--out", done.toString(), "--quiet", "--batch", "32", "--log-every", "5");
    assertEquals(0, r.code(), r.err());
    Map<?, ?> summary = new ObjectMapper().readValue(done.resolve("summary.json").toFile(), Map.class);

    // a running run: this process is its writer (process.json) and appends rows with the trainer's own writer
    Path live = root.resolve("running-run");
    Files.createDirectories(live);
    ProcessRecord.write(live, "sim:rram?layers=4-8-2", "spsa", 2000, 1);
    try (MetricsLog log = new MetricsLog(live, -1)) {
      for (int k = 1; k <= 3; k++) row(log, k);
      server = LiveViewServer.start(List.of(root), InetAddress.getLoopbackAddress(), 0);
      browser.get("http://127.0.0.1:" + server.port() + "/");
      Wait<WebDriver> wait = waiting();

      // the page loads and draws the running run's three rows
      By liveLoss = By.cssSelector("section[data-run='running-run'] svg[data-metric='loss']");
      wait.until(d -> !d.findElements(liveLoss).isEmpty() && "3".equals(d.findElement(liveLoss).getAttribute("data-points")));
      assertEquals("running", attribute(By.cssSelector("section[data-run='running-run']"), "data-status"));
      assertEquals("480", value("running-run", "queries"));

      // the run trains on: two more rows, and the page follows without a reload
      for (int k = 4; k <= 5; k++) row(log, k);
      wait.until(d -> "5".equals(d.findElement(liveLoss).getAttribute("data-points")));
      By liveAcc = By.cssSelector("section[data-run='running-run'] svg[data-metric='accuracy']");
      assertEquals("5", attribute(liveAcc, "data-points"));
      assertEquals("800", value("running-run", "queries"));
      assertEquals("800", text("running-run", "queries"));
    }

    // the finished run: every figure the page shows is summary.json's
    waiting().until(d -> !d.findElements(By.cssSelector("section[data-run='finished-run'][data-status='finished']")).isEmpty());
    for (String k : new String[] {"test_accuracy", "test_loss", "queries", "steps", "wire_bytes_sent", "wire_bytes_received", "wall_seconds", "chip_seconds",
        "chip_joules"}) {
      assertTrue(summary.containsKey(k), "summary.json has " + k + ": " + summary);
      assertEquals(((Number) summary.get(k)).doubleValue(), Double.parseDouble(value("finished-run", k)), k);
    }
    assertEquals(String.format(Locale.ROOT, "%.4f", ((Number) summary.get("test_accuracy")).doubleValue()), text("finished-run", "test_accuracy"));
    assertEquals(String.format(Locale.ROOT, "%,d", ((Number) summary.get("queries")).longValue()), text("finished-run", "queries"));
    assertEquals(String.format(Locale.ROOT, "%,d", ((Number) summary.get("wire_bytes_sent")).longValue()), text("finished-run", "wire_bytes_sent"));
    String overview = read(By.cssSelector("#overview tr[data-run='finished-run']"), WebElement::getText);
    assertTrue(overview.contains(String.format(Locale.ROOT, "%.4f test", ((Number) summary.get("test_accuracy")).doubleValue())), overview);

    // the overview is updated in place, as the cards are: a row found before a poll is the page's after it
    WebElement row = browser.findElement(By.cssSelector("#overview tr[data-run='finished-run']"));
    String polls = attribute(By.tagName("body"), "data-polls");
    waiting().until(d -> !polls.equals(d.findElement(By.tagName("body")).getAttribute("data-polls")));
    assertTrue(row.getText().contains(" test"), row.getText()); // a redrawn table would throw StaleElementReferenceException

    File shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE);
    Path target = Path.of("target", "live-view.png");
    Files.createDirectories(target.getParent());
    Files.copy(shot.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
  }

  private static void row(MetricsLog log, int k) throws Exception {
    log.row(10L * k, 160L * k, 2.3 - 0.15 * k, 0.1 + 0.08 * k, 0.01, 0.1, 0.5, 0, 1.5 * k, 1000L * k, 500L * k);
  }

  /**
   * The page redraws its tables on every poll, so an element found a moment ago may be gone by the
   * time it is read (StaleElementReferenceException): every read finds its element afresh, and a
   * read that met a redraw is made again.
   */
  private Wait<WebDriver> waiting() {
    return new WebDriverWait(browser, HANG_GUARD).ignoring(StaleElementReferenceException.class);
  }

  private String read(By where, Function<WebElement, String> what) {
    return waiting().until(d -> what.apply(d.findElement(where)));
  }

  private String attribute(By where, String name) {
    return read(where, e -> e.getAttribute(name));
  }

  private String value(String run, String field) {
    return attribute(By.cssSelector("section[data-run='" + run + "'] td[data-field='" + field + "']"), "data-value");
  }

  private String text(String run, String field) {
    return read(By.cssSelector("section[data-run='" + run + "'] td[data-field='" + field + "']"), WebElement::getText);
  }
}
