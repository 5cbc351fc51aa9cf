package io.noprop.controller.fault;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.noprop.controller.data.DatasetSplit;
import io.noprop.controller.data.TestData;
import io.noprop.controller.train.CheckpointStore;
import io.noprop.controller.train.RunSummary;
import io.noprop.controller.opt.OptimizerConfig;
import io.noprop.controller.train.RunConfig;
import io.noprop.controller.train.TrainListener;
import io.noprop.controller.train.Trainer;
import io.noprop.controller.train.TrainingException;
import io.noprop.driver.Device;
import io.noprop.driver.Devices;
import io.noprop.driver.ProtocolDevice;
import io.noprop.driver.ResilientDevice;
import io.noprop.driver.RetryPolicy;
import io.noprop.driver.ServedChip;
import io.noprop.driver.fault.FaultPlan;
import io.noprop.driver.fault.FaultyChip;
import io.noprop.driver.fault.FaultyFrameLink;
import io.noprop.driver.fault.MqttFaultProxy;
import io.noprop.driver.fault.FaultyWireLink;
import io.noprop.driver.fault.WireFault;
import io.noprop.driver.fleet.FleetDevice;
import io.noprop.driver.fleet.FleetOptions;
import io.noprop.driver.mqtt.EmbeddedBroker;
import io.noprop.driver.mqtt.Mosquitto;
import io.noprop.driver.mqtt.MqttChipServer;
import io.noprop.driver.mqtt.MqttLink;
import io.noprop.driver.mqtt.MqttSettings;
import io.noprop.driver.serial.Relay;
import io.noprop.driver.serial.SerialChipServer;
import io.noprop.driver.serial.SocatPair;
import io.noprop.driver.spi.ChipBackends;
import io.noprop.protocol.msg.ReadWeightsRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Tag;

/**
 * Issue #8's fault suite: one short training on the ideal simulated chip per (fault, link), with
 * the fault injected many times along the way. The ideal chip is deterministic, so a run that
 * survived the faults must end with exactly the weights of the same run without faults: an
 * update lost or applied twice, or a reset chip not re-programmed, would show in the last bit.
 * Faults that change what the trainer sees (NaN and out-of-range losses) change the trajectory
 * instead; there the chip must end with the trainer's shadow weights and every bad step must be
 * counted, none applied.
 *
 * <p>Links: in process (the exact wire bytes through {@link FaultyWireLink}), serial (socat
 * ptys, a {@link Relay} that damages bytes, socat killed and restarted as a pulled cable, the chip
 * server restarted as a power cycle), MQTT (a Mosquitto process, restarted; frames lost,
 * duplicated, reordered by {@link FaultyFrameLink}). Under {@code CI=true} nothing skips.
 * {@code -Dnoprop.faults.long=true} trains ten times longer. The table of injections is printed
 * at the end and written to {@code target/fault-table.md}.
 */
@Tag("fault") // tier: fault (long runs with injected faults and killed processes; README "Test tiers")
class FaultInjectionTest {
  static final boolean LONG = Boolean.getBoolean("noprop.faults.long");
  static final long BUDGET = LONG ? 6000 : 600;
  static final DatasetSplit BLOBS = TestData.blobSplit(16, 4, 5);
  static final String LAYERS = "16-8-4";
  static final OptimizerConfig SPSA = OptimizerConfig.DEFAULT.withBatch(32);
  /** Steps at which event faults (a cable pull, a broker restart, a power cycle) start. */
  static final long[] EVENT_STEPS = LONG ? new long[] {40, 400, 900, 1500, 2200, 2800} : new long[] {30, 110, 200};

  enum LinkKind { IN_PROCESS, SERIAL, MQTT }

  record Row(WireFault fault, LinkKind link, long injected, String outcome) {}

  static final List<Row> TABLE = new CopyOnWriteArrayList<>();
  @TempDir static Path shared;
  static float[] reference;

  @TempDir Path tmp;

  @BeforeAll
  static void referenceRun() throws IOException {
    Path out = shared.resolve("reference");
    try (Device d = Devices.open("sim:ideal?layers=" + LAYERS)) {
      train(d, out, TrainListener.NONE);
    }
    reference = new CheckpointStore(out).load().weights();
  }

  @AfterAll
  static void printTable() throws IOException {
    StringBuilder sb = new StringBuilder("| fault | link | times injected | outcome |\n|---|---|---|---|\n");
    for (Row r : TABLE) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %d | %s |%n", r.fault.name().toLowerCase(Locale.ROOT).replace('_', ' '),
          r.link.name().toLowerCase(Locale.ROOT).replace('_', '-'), r.injected, r.outcome));
    }
    System.out.println("WireFault injection, budget " + BUDGET + " queries per run:\n" + sb);
    Path target = Path.of("target");
    if (Files.isDirectory(target)) Files.writeString(target.resolve("fault-table.md"), sb.toString());
  }

  static RunSummary train(Device d, Path out, TrainListener l) throws IOException {
    return new Trainer(d, BLOBS, RunConfig.of(BUDGET, 7, out, SPSA).withCheckpointEvery(0).withLogEvery(10), l).run();
  }

  static FaultyChip idealChip(FaultPlan plan) {
    return new FaultyChip(ChipBackends.create("sim", "ideal", Map.of("layers", LAYERS)), plan);
  }

  /** {@code -Dnoprop.faults.only=BROKER_RESTART,CHIP_RESET} runs just those faults: a flake hunt repeats one scenario. */
  static Stream<Arguments> scenarios() {
    String only = System.getProperty("noprop.faults.only", "");
    return allScenarios().filter(a -> only.isBlank() || List.of(only.split(",")).contains(((WireFault) a.get()[0]).name()));
  }

  static Stream<Arguments> allScenarios() {
    return Stream.of(
        Arguments.of(WireFault.CORRUPT_BYTES, LinkKind.IN_PROCESS, 0.05),
        Arguments.of(WireFault.DROP_BYTES, LinkKind.IN_PROCESS, 0.05),
        Arguments.of(WireFault.DROP_FRAME, LinkKind.IN_PROCESS, 0.05),
        Arguments.of(WireFault.DUPLICATE_FRAME, LinkKind.IN_PROCESS, 0.05),
        Arguments.of(WireFault.REORDER_FRAMES, LinkKind.IN_PROCESS, 0.05),
        Arguments.of(WireFault.PULL_CABLE, LinkKind.IN_PROCESS, 0.02),
        Arguments.of(WireFault.CHIP_RESET, LinkKind.IN_PROCESS, 0.01),
        Arguments.of(WireFault.NAN_LOSS, LinkKind.IN_PROCESS, 0.02),
        Arguments.of(WireFault.OUT_OF_RANGE_LOSS, LinkKind.IN_PROCESS, 0.02),
        Arguments.of(WireFault.CORRUPT_BYTES, LinkKind.SERIAL, 0.015),
        Arguments.of(WireFault.DROP_BYTES, LinkKind.SERIAL, 0.015),
        Arguments.of(WireFault.DUPLICATE_FRAME, LinkKind.SERIAL, 0.03),
        Arguments.of(WireFault.PULL_CABLE, LinkKind.SERIAL, 0.0),
        Arguments.of(WireFault.CHIP_RESET, LinkKind.SERIAL, 0.0),
        Arguments.of(WireFault.NAN_LOSS, LinkKind.SERIAL, 0.02),
        Arguments.of(WireFault.CORRUPT_BYTES, LinkKind.MQTT, 0.015),
        Arguments.of(WireFault.DROP_BYTES, LinkKind.MQTT, 0.015),
        Arguments.of(WireFault.DROP_FRAME, LinkKind.MQTT, 0.015),
        Arguments.of(WireFault.DUPLICATE_FRAME, LinkKind.MQTT, 0.05),
        Arguments.of(WireFault.REORDER_FRAMES, LinkKind.MQTT, 0.015),
        Arguments.of(WireFault.BROKER_RESTART, LinkKind.MQTT, 0.0),
        Arguments.of(WireFault.CHIP_RESET, LinkKind.MQTT, 0.0),
        Arguments.of(WireFault.NAN_LOSS, LinkKind.MQTT, 0.02));
  }

  /** Fires {@code event} on its own thread at each of {@link #EVENT_STEPS} (so it lands mid-exchange), one at a time. */
  static final class Events implements TrainListener {
    final Runnable event;
    final List<Thread> threads = new ArrayList<>();
    int next;

    Events(Runnable event) {
      this.event = event;
    }

    @Override
    public void onStep(long queries, long budget, long step, double loss, double accuracy) {
      if (next >= EVENT_STEPS.length || step < EVENT_STEPS[next]) return;
      if (!threads.isEmpty() && threads.get(threads.size() - 1).isAlive()) return; // the last one is still going on
      next++;
      Thread t = new Thread(event, "fault-event");
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }

    void join() throws InterruptedException {
      for (Thread t : threads) t.join(30_000);
    }
  }

  @ParameterizedTest(name = "{0} over {1}")
  @MethodSource("scenarios")
  void theRunEndsWithTheExpectedWeights(WireFault fault, LinkKind link, double rate) throws Exception {
    FaultPlan plan = new FaultPlan(fault.ordinal() * 31L + link.ordinal()).with(fault, rate);
    Path out = tmp.resolve("run");
    float[] chipWeights;
    RunSummary s;
    String recovery;
    try (Bench bench = switch (link) {
      case IN_PROCESS -> new InProcessBench(plan);
      case SERIAL -> new SerialBench(tmp, plan, fault);
      case MQTT -> new MqttBench(tmp, plan, fault);
    }) {
      Events events = new Events(bench::event);
      try {
        s = train(bench.device(), out, bench.hasEvents() ? events : TrainListener.NONE);
      } catch (IOException | RuntimeException e) {
        throw new AssertionError(fault + " over " + link + ": " + e.getMessage() + bench.diagnosis(), e);
      }
      events.join();
      plan.arm(false);
      chipWeights = bench.device().readWeights(ReadWeightsRequest.Source.TARGET);
      recovery = recovery(bench.device(), fault);
    }
    long injected = plan.injected(fault);
    assertTrue(injected > 0, fault + " was never injected over " + link);
    float[] shadow = new CheckpointStore(out).load().weights();
    assertArrayEquals(shadow, chipWeights, "the chip's weights differ from the trainer's shadow after " + fault + " over " + link);
    String outcome;
    if (fault == WireFault.NAN_LOSS || fault == WireFault.OUT_OF_RANGE_LOSS) {
      assertTrue(s.nanSteps() > 0 && s.nanSteps() <= injected, "bad steps counted: " + s.nanSteps() + " of " + injected + " injected");
      outcome = "completed; " + s.nanSteps() + " steps rejected and counted, none applied; chip = shadow bit for bit";
    } else {
      assertArrayEquals(reference, chipWeights, "the run through " + fault + " over " + link + " ends with other weights than the fault-free run");
      outcome = "completed; weights = fault-free run bit for bit (" + s.retries() + " resends" + recovery + ")";
    }
    TABLE.add(new Row(fault, link, injected, outcome));
  }

  /** What the device layer did about it; for a chip reset, checks that the reboot was noticed and the chip restored. */
  static String recovery(Device d, WireFault fault) {
    if (d instanceof ResilientDevice r) {
      if (fault == WireFault.CHIP_RESET) assertTrue(r.reboots() > 0 && r.restores() > 0, "the reboot went unnoticed: " + r.reboots() + " reboots, " + r.restores() + " restores");
      return (r.reconnects() > 0 ? ", " + r.reconnects() + " reconnects" : "") + (r.reboots() > 0 ? ", " + r.reboots() + " reboots seen, " + r.restores() + " restores" : "");
    }
    if (d instanceof FleetDevice f) {
      io.noprop.driver.fleet.FleetStats st = f.stats();
      if (fault == WireFault.CHIP_RESET) assertTrue(st.rejoins() > 0, "the restarted chip was not re-joined: " + st);
      return st.rejoins() > 0 ? ", " + st.rejoins() + " rejoins with datasets and weights restored" : "";
    }
    return "";
  }

  @Test
  void aChipThatKeepsAnsweringBadLossesStopsTheRunWithAClearError() throws Exception {
    FaultPlan plan = new FaultPlan(5).with(WireFault.NAN_LOSS, 1.0);
    try (InProcessBench bench = new InProcessBench(plan)) {
      TrainingException e = assertThrows(TrainingException.class, () -> train(bench.device(), tmp.resolve("nan"), TrainListener.NONE));
      assertTrue(e.getMessage().contains("finite loss"), e.getMessage());
    }
    TABLE.add(new Row(WireFault.NAN_LOSS, LinkKind.IN_PROCESS, plan.injected(WireFault.NAN_LOSS), "every answer NaN: the run stops with a clear error, nothing applied"));
  }

  /** {@code noprop train} as its own JVM, so that it can be killed for real. */
  static Process trainProcess(List<String> args, Path log) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.noprop.controller.cli.NopropCommand"));
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
  }

  /**
   * The controller killed with SIGKILL while it writes a checkpoint every step, then resumed,
   * several times: the run must end with the weights of the same run never interrupted (the
   * checkpoint is the shadow; resume writes it back to the chip, and the step seeds make the rest
   * identical). Atomicity of the checkpoint file itself is CheckpointStoreTest's.
   */
  @Test
  void aControllerKilledDuringCheckpointWritesResumesToTheUninterruptedWeights() throws Exception {
    Path csv = TestData.blobsCsv(tmp);
    long budget = LONG ? 20000 : 1200;
    List<String> common = List.of("train", "--device", "sim:ideal?layers=4-8-2", "--dataset", "csv:" + csv, "--budget", Long.toString(budget),
        "--seed", "3", "--batch", "32", "--checkpoint-every", "1", "--quiet");
    Path clean = tmp.resolve("clean");
    List<String> cleanArgs = new ArrayList<>(common);
    cleanArgs.addAll(List.of("--out", clean.toString()));
    java.io.StringWriter err = new java.io.StringWriter();
    assertEquals(0, io.noprop.controller.cli.NopropCommand.execute(cleanArgs.toArray(new String[0]), new java.io.PrintWriter(new java.io.StringWriter()),
        new java.io.PrintWriter(err)), err.toString());

    Path killed = tmp.resolve("killed");
    Path log = tmp.resolve("killed.log");
    Path checkpoint = killed.resolve("checkpoint.bin");
    FaultPlan plan = new FaultPlan(3);
    java.util.SplittableRandom when = new java.util.SplittableRandom(3);
    int exit = -1;
    for (int attempt = 0; attempt < 12 && exit != 0; attempt++) {
      List<String> args = new ArrayList<>(common);
      args.addAll(List.of("--out", killed.toString()));
      if (attempt > 0) args.add("--resume");
      Process p = trainProcess(args, log);
      if (attempt < 3) {
        long deadline = System.nanoTime() + 60_000_000_000L;
        long stepAtStart = Files.exists(checkpoint) ? new CheckpointStore(killed).load().step() : -1;
        // wait until this run has written checkpoints of its own, then kill it at a random moment
        while (p.isAlive() && System.nanoTime() < deadline
            && (!Files.exists(checkpoint) || safeStep(killed) <= stepAtStart + 20)) {
          Thread.sleep(5);
        }
        Thread.sleep(when.nextInt(1, 40));
        if (p.isAlive()) {
          p.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
          p.waitFor();
          plan.count(WireFault.KILL_CONTROLLER);
          continue;
        }
      }
      assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the resumed run did not finish");
      exit = p.exitValue();
    }
    assertEquals(0, exit, "the resumed run failed: " + Files.readString(log));
    assertTrue(plan.injected(WireFault.KILL_CONTROLLER) > 0, "the run finished before it could be killed; raise the budget");
    CheckpointStore done = new CheckpointStore(killed);
    assertEquals(new CheckpointStore(clean).load().step(), done.load().step());
    assertArrayEquals(new CheckpointStore(clean).load().weights(), done.load().weights(), "a resumed run ends elsewhere than the uninterrupted one");
    TABLE.add(new Row(WireFault.KILL_CONTROLLER, LinkKind.IN_PROCESS, plan.injected(WireFault.KILL_CONTROLLER),
        "SIGKILL while checkpointing every step; each --resume continued; final weights = uninterrupted run bit for bit"));
  }

  /** The checkpointed step, or -1 while the file is being replaced or unreadable. */
  static long safeStep(Path dir) {
    try {
      return new CheckpointStore(dir).load().step();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** One chip behind one link with its faults. */
  interface Bench extends AutoCloseable {
    Device device();

    /** An event fault (cable, broker, power); only called when {@link #hasEvents()}. */
    default void event() {}

    default boolean hasEvents() {
      return false;
    }

    /** What the peers say about themselves, appended to a failure's message (a flake must explain itself). */
    default String diagnosis() {
      return "";
    }

    @Override
    void close() throws Exception;
  }

  static final class InProcessBench implements Bench {
    final Device device;

    InProcessBench(FaultPlan plan) {
      FaultyChip chip = idealChip(plan);
      device = new ResilientDevice(new ProtocolDevice("faulty:in-process", new FaultyWireLink(chip, plan), new RetryPolicy(Duration.ofMillis(20), 12)));
    }

    @Override
    public Device device() {
      return device;
    }

    @Override
    public void close() {
      device.close();
    }
  }

  static final class SerialBench implements Bench {
    final FaultPlan plan;
    final WireFault fault;
    final FaultyChip chip;
    final SocatPair hostPair;
    final SocatPair chipPair;
    final Relay relay;
    final Device device;
    ServedChip<SerialChipServer> served;

    SerialBench(Path dir, FaultPlan plan, WireFault fault) throws Exception {
      SocatPair.requireSocat();
      this.plan = plan;
      this.fault = fault;
      this.chip = idealChip(plan);
      this.hostPair = SocatPair.start(dir, "host");
      this.chipPair = SocatPair.start(dir, "chip");
      java.util.function.UnaryOperator<byte[]> damage = c -> {
        byte[] out = plan.damage(c);
        if (plan.roll(WireFault.DUPLICATE_FRAME)) {
          byte[] twice = java.util.Arrays.copyOf(out, out.length * 2);
          System.arraycopy(out, 0, twice, out.length, out.length);
          out = twice;
        }
        return out;
      };
      this.relay = new Relay(hostPair.b(), chipPair.a(), damage, damage);
      startServer();
      this.device = Devices.open(served.uri() + "?timeout_ms=200&attempts=12&reconnect_s=20");
    }

    private void startServer() {
      served = ServedChip.onLine(chip, chipPair.b(), hostPair.a());
    }

    private void stopServer() {
      served.close();
    }

    @Override
    public Device device() {
      return device;
    }

    @Override
    public boolean hasEvents() {
      return fault == WireFault.PULL_CABLE || fault == WireFault.CHIP_RESET;
    }

    @Override
    public void event() {
      if (fault == WireFault.PULL_CABLE) {
        plan.count(WireFault.PULL_CABLE);
        hostPair.kill(); // the host end vanishes: reads -1, writes 0
        sleep(300);
        hostPair.restart(); // plugged back in under the same name
      } else {
        plan.count(WireFault.CHIP_RESET);
        stopServer();
        chip.powerCycle(); // weights, datasets, replay cache gone; new boot count
        startServer();
      }
    }

    @Override
    public void close() throws Exception {
      device.close();
      stopServer();
      relay.close();
      hostPair.close();
      chipPair.close();
    }
  }

  static final class MqttBench implements Bench {
    final FaultPlan plan;
    final WireFault fault;
    final FaultyChip chip;
    final Mosquitto mosquitto;
    final EmbeddedBroker embedded;
    final MqttSettings settings;
    final Device device;
    final MqttFaultProxy proxy;
    volatile ServedChip<MqttChipServer> served;

    MqttBench(Path dir, FaultPlan plan, WireFault fault) {
      this.plan = plan;
      this.fault = fault;
      this.chip = idealChip(plan);
      boolean real = Files.isExecutable(Path.of(Mosquitto.BINARY)) || "true".equals(System.getenv("CI")) || fault == WireFault.BROKER_RESTART;
      if (real) Mosquitto.requireInstalled();
      this.mosquitto = real ? new Mosquitto(dir, null, null) : null;
      this.embedded = real ? null : new EmbeddedBroker();
      String url = real ? mosquitto.url() : embedded.url();
      this.settings = MqttSettings.of(url, Map.of(), Map.of());
      this.served = ServedChip.overMqtt(chip, url, "chip-f");
      // byte damage needs the payloads: a proxy on the broker between chip id "front" and the chip
      boolean bytes = fault == WireFault.CORRUPT_BYTES || fault == WireFault.DROP_BYTES;
      this.proxy = bytes ? new MqttFaultProxy(settings, "front", "chip-f", plan) : null;
      String id = bytes ? "front" : "chip-f";
      String uri = url.replace("tcp://", "mqtt://") + "/" + id;
      // a one-chip fleet, as mqtt:// opens it, with the fault layer under each session's protocol client
      this.device = new FleetDevice(uri, List.of(id),
          List.of(() -> new ProtocolDevice(uri, new FaultyFrameLink(new MqttLink(settings, id), plan), new RetryPolicy(Duration.ofMillis(200), 12))),
          FleetOptions.of(Map.of("verify_every", "0", "rejoin_ms", "100")));
    }

    @Override
    public Device device() {
      return device;
    }

    @Override
    public boolean hasEvents() {
      return fault == WireFault.BROKER_RESTART || fault == WireFault.CHIP_RESET;
    }

    @Override
    public String diagnosis() {
      MqttChipServer server = served.server();
      return "\nchip server " + server.chip() + " (boot " + server.boot() + "): " + server.served() + " requests served, connected=" + server.connected()
          + ", subscribed=" + server.subscribed() + ", guard reconnects=" + server.manualReconnects()
          + (mosquitto != null ? "\nmosquitto log:\n" + mosquitto.logTail(60) : "");
    }

    @Override
    public void event() {
      if (fault == WireFault.BROKER_RESTART) {
        plan.count(WireFault.BROKER_RESTART);
        mosquitto.restart();
      } else {
        plan.count(WireFault.CHIP_RESET);
        served.close();
        chip.powerCycle();
        served = ServedChip.overMqtt(chip, settings.broker(), "chip-f");
      }
    }

    @Override
    public void close() {
      device.close();
      if (proxy != null) proxy.close();
      served.close();
      if (mosquitto != null) mosquitto.close();
      if (embedded != null) embedded.close();
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
