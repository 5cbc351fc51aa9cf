package io.noprop.driver.fleet;

import io.noprop.driver.ChipMirror;
import io.noprop.driver.Device;
import io.noprop.driver.DeviceException;
import io.noprop.driver.WireStats;
import io.noprop.protocol.msg.Capability;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Several chips that hold one model, seen as one {@link Device}.
 *
 * <ul>
 *   <li>{@link #evaluateGroups} spreads groups (antithetic pairs) over the idle chips, each group
 *       on one chip, all chips at once, and returns when every group is answered or the step
 *       deadline passes with at least one answered; the rest are dropped (null).
 *   <li>{@link #update} is mirrored on a <em>shadow</em> copy of the target weights (bit for bit
 *       as PROTOCOL.md section 11 specifies) and sent to every chip, so all chips follow the shadow.
 *   <li>A chip that fails is closed and marked offline; it is probed every
 *       {@link FleetOptions#rejoinEvery()}, and when it answers again it is re-opened, its datasets
 *       re-uploaded and its weights re-programmed from the shadow before it gets work.
 *   <li>Every {@link FleetOptions#verifyEvery()} updates each chip's targets are read back; a chip
 *       that drifted beyond {@link FleetOptions#driftTolerance()} is re-programmed.
 * </ul>
 *
 * <p>Each chip has its own single-thread lane: its calls run in submission order, so an UPDATE
 * always lands before the evaluations submitted after it. Every task carries the state the chip
 * must be in (datasets, weight version) and brings the chip there first. Not thread-safe: one
 * trainer drives a fleet.
 */
public final class FleetDevice implements Device {
  private final String uri;
  private final List<Member> members = new ArrayList<>();
  private final FleetOptions opt;
  private final HelloInfo info;
  private final ChipMirror mirror; // what every chip must hold; tasks carry the state they need
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong rejoins = new AtomicLong();
  private final AtomicLong reprograms = new AtomicLong();
  private int nextMember;
  private long updates; // UPDATEs sent: every verifyEvery-th is followed by a read-back

  /**
   * Opens every member at once; the fleet starts with those that answer within the give-up time
   * (at least one), the others join when they come up.
   *
   * @param openers one per chip: opens a fresh session (HELLO) and returns the device
   */
  public FleetDevice(String uri, List<String> names, List<Supplier<Device>> openers, FleetOptions opt) {
    if (names.isEmpty() || names.size() != openers.size()) throw new IllegalArgumentException("a fleet needs one name per opener, at least one");
    this.uri = uri;
    this.opt = opt;
    for (int i = 0; i < names.size(); i++) members.add(new Member(names.get(i), openers.get(i)));
    List<Future<Device>> opened = new ArrayList<>();
    for (Member m : members) opened.add(m.lane.submit(() -> m.open()));
    HelloInfo first = null;
    StringBuilder errors = new StringBuilder();
    for (int i = 0; i < members.size(); i++) {
      try {
        Device d = opened.get(i).get(opt.giveUp().toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) first = d.info();
      } catch (ExecutionException e) {
        errors.append("\n  ").append(members.get(i).name).append(": ").append(e.getCause().getMessage());
      } catch (TimeoutException e) {
        errors.append("\n  ").append(members.get(i).name).append(": no answer within ").append(opt.giveUp().toMillis()).append(" ms");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeviceException(DeviceException.Kind.LINK_DOWN, "interrupted while opening " + uri, e);
      }
    }
    if (first == null) {
      close();
      throw new DeviceException(DeviceException.Kind.LINK_DOWN, "no chip of " + uri + " answered:" + errors);
    }
    this.info = first.withMaxBasis(0); // guided directions are not carried to a fleet's chips
    this.mirror = new ChipMirror(info.parameterCount(), info.weightMin(), info.weightMax());
    for (Member m : members) {
      Device d = m.device;
      if (d != null && !compatible(d.info())) {
        close();
        throw new DeviceException(DeviceException.Kind.BAD_URI, "chips of " + uri + " differ: " + m.name + " is " + describe(d.info())
            + ", the first is " + describe(info) + "; a fleet trains one model on identical chips");
      }
    }
  }

  private boolean compatible(HelloInfo h) {
    return Arrays.equals(h.layerSizes(), info.layerSizes()) && h.weightMin() == info.weightMin() && h.weightMax() == info.weightMax();
  }

  private static String describe(HelloInfo h) {
    return h.model() + " " + Arrays.toString(h.layerSizes()) + " [" + h.weightMin() + ", " + h.weightMax() + "]";
  }

  /** One chip and its lane. Fields marked "lane" are touched only on the lane thread. */
  private final class Member {
    final String name;
    final Supplier<Device> opener;
    final ExecutorService lane;
    volatile Device device; // lane writes; others read for stats
    final ChipMirror.Holding held = new ChipMirror.Holding(); // lane: what the chip holds of the mirror
    volatile boolean up;
    volatile String lastError = "";
    volatile WireStats retired = new WireStats(0, 0, 0, 0, 0);
    Future<?> busy; // trainer thread: the last evaluation or probe handed to this lane (updates only queue)
    volatile Future<?> lastQueued; // the last task of any kind handed to this lane
    volatile Future<?> delivered; // the last evaluation whose results reached the trainer (its future may not be done yet)
    long nextProbe; // trainer thread

    Member(String name, Supplier<Device> opener) {
      this.name = name;
      this.opener = opener;
      this.lane = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fleet-" + name);
        t.setDaemon(true);
        return t;
      });
    }

    boolean idle() {
      return busy == null || busy.isDone();
    }

    /** Lane: opens a session if there is none. */
    Device open() {
      if (device == null) {
        Device d = opener.get();
        if (info != null && !compatible(d.info())) {
          d.close();
          throw new DeviceException(DeviceException.Kind.PROTOCOL, name + " came back as " + describe(d.info()) + ", not " + describe(info));
        }
        device = d;
        held.forget();
        if (info != null) rejoins.incrementAndGet();
      }
      up = true;
      return device;
    }

    /** Lane: brings the chip to the target state (session, datasets, weights). */
    Device ready(ChipMirror.State t) {
      Device d = open();
      if (d.takeReboot()) {
        // a reconnect's HELLO showed a new boot count: the chip is blank, bring it to the target again
        held.forget();
        rejoins.incrementAndGet();
      }
      boolean wasProgrammed = held.programmed();
      if (held.bring(d, t) && wasProgrammed) reprograms.incrementAndGet();
      return d;
    }

    /** Lane: the chip failed; forget its session. */
    void fail(RuntimeException e) {
      if (up) failures.incrementAndGet();
      lastError = e.getMessage();
      up = false;
      Device d = device;
      device = null;
      if (d != null) {
        WireStats s = d.wireStats();
        WireStats r = retired;
        retired = new WireStats(r.bytesSent() + s.bytesSent(), r.bytesReceived() + s.bytesReceived(), r.requests() + s.requests(),
            r.retries() + s.retries(), r.staleReplies() + s.staleReplies());
        try {
          d.close();
        } catch (RuntimeException ignored) {
          // already broken
        }
      }
    }

    /** Hands a task to the lane; a failure marks the chip offline and is rethrown to whoever waits. */
    <T> Future<T> submit(Callable<T> task) {
      Future<T> f = queue(task);
      busy = f;
      return f;
    }

    /** As {@link #submit} but the chip stays available: later work simply runs after this (UPDATE). */
    <T> Future<T> queue(Callable<T> task) {
      Future<T> f = lane.submit(() -> {
        try {
          return task.call();
        } catch (RuntimeException e) {
          fail(e);
          throw e;
        }
      });
      lastQueued = f;
      return f;
    }
  }

  /** Probes offline chips that are due: a probe re-opens, re-uploads and re-programs. */
  private void maintain() {
    long now = System.nanoTime();
    for (Member m : members) {
      if (!m.up && m.idle() && now >= m.nextProbe) {
        m.nextProbe = now + opt.rejoinEvery().toNanos();
        ChipMirror.State t = mirror.state();
        m.submit(() -> m.ready(t));
      }
    }
  }

  private List<Member> available() {
    List<Member> out = new ArrayList<>();
    for (Member m : members) if (m.up && m.idle()) out.add(m);
    return out;
  }

  /**
   * Deals the groups out to the idle chips and waits. When the step deadline passes: with some
   * answers, the step returns them and drops the rest; with none, the unanswered groups are dealt
   * again to whichever chips are idle by then (first answer wins), so one slow or dead chip never
   * holds a step beyond the deadline while another chip could answer.
   */
  @Override
  public List<EvalResult[]> evaluateGroups(List<EvaluateRequest[]> groups) {
    Map<Integer, EvalResult[]> results = new ConcurrentHashMap<>();
    LinkedBlockingQueue<Future<?>> finished = new LinkedBlockingQueue<>();
    List<Future<?>> running = new ArrayList<>();
    long giveUp = System.nanoTime() + opt.giveUp().toNanos();
    long deadline = 0;
    int outstanding = 0;
    while (results.size() < groups.size()) {
      long now = System.nanoTime();
      if (outstanding == 0 || now >= deadline) {
        if (!results.isEmpty() && now >= deadline) break; // drop the rest
        maintain();
        List<Member> avail = available();
        if (!avail.isEmpty()) {
          List<Integer> remaining = new ArrayList<>();
          for (int i = 0; i < groups.size(); i++) if (!results.containsKey(i)) remaining.add(i);
          outstanding += deal(groups, remaining, avail, results, finished, running);
          deadline = System.nanoTime() + opt.stepDeadline().toNanos();
        } else if (outstanding == 0) {
          if (now > giveUp) throw noChip();
          sleep(1);
          continue;
        }
      }
      if (now > giveUp) throw noChip();
      try {
        // past the deadline with nothing answered and no idle chip: wait for the busy ones in short slices
        long until = System.nanoTime() < deadline ? Math.min(deadline, giveUp) : System.nanoTime() + 5_000_000L;
        Future<?> f = finished.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (f != null) outstanding--;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeviceException(DeviceException.Kind.LINK_DOWN, "interrupted while waiting for the fleet", e);
      }
      rethrowRefusals(running);
    }
    List<EvalResult[]> out = new ArrayList<>(groups.size());
    for (int i = 0; i < groups.size(); i++) {
      EvalResult[] r = results.get(i);
      if (r == null) dropped.incrementAndGet();
      out.add(r);
    }
    return out;
  }

  /** Hands the groups round-robin to the chips; returns the number of tasks started. */
  private int deal(List<EvaluateRequest[]> groups, List<Integer> remaining, List<Member> avail, Map<Integer, EvalResult[]> results,
      BlockingQueue<Future<?>> finished, List<Future<?>> running) {
    List<List<Integer>> shares = new ArrayList<>();
    for (int k = 0; k < avail.size(); k++) shares.add(new ArrayList<>());
    for (int j = 0; j < remaining.size(); j++) shares.get((j + nextMember) % avail.size()).add(remaining.get(j));
    nextMember++;
    ChipMirror.State t = mirror.state();
    int started = 0;
    for (int k = 0; k < avail.size(); k++) {
      List<Integer> share = shares.get(k);
      if (share.isEmpty()) continue;
      Member m = avail.get(k);
      AtomicReference<Future<?>> self = new AtomicReference<>();
      CountDownLatch submitted = new CountDownLatch(1);
      Future<?> f = m.submit(() -> {
        try {
          Device d = m.ready(t);
          for (int g : share) {
            if (results.containsKey(g)) continue; // answered by another chip meanwhile
            EvaluateRequest[] reqs = groups.get(g);
            EvalResult[] r = new EvalResult[reqs.length];
            for (int i = 0; i < reqs.length; i++) r[i] = d.evaluate(reqs[i]);
            results.putIfAbsent(g, r);
          }
          return null;
        } finally {
          submitted.await();
          m.delivered = self.get();
          finished.add(self.get());
        }
      });
      self.set(f);
      submitted.countDown();
      running.add(f);
      started++;
    }
    return started;
  }

  /**
   * A chip that refused a request (bad batch size, unsupported...) would refuse it again on every
   * chip: that is the caller's error, raised at once. NO_DATASET is not: it is what a chip that
   * restarted unnoticed says, and re-joining it (datasets re-uploaded) cures it.
   */
  private static void rethrowRefusals(List<Future<?>> running) {
    for (Future<?> f : running) {
      if (!f.isDone()) continue;
      try {
        f.get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof DeviceException de && de.kind() == DeviceException.Kind.DEVICE_ERROR
            && (de.error() == null || de.error().knownCode() != ErrorCode.NO_DATASET)) {
          throw de;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (CancellationException e) {
        // cancelled on close
      }
    }
  }

  private DeviceException noChip() {
    StringBuilder sb = new StringBuilder("no chip of " + uri + " answered within " + opt.giveUp().toMillis() + " ms:");
    for (Member m : members) sb.append("\n  ").append(m.name).append(m.up ? ": busy" : ": offline, " + m.lastError);
    return new DeviceException(DeviceException.Kind.TIMEOUT, sb.toString());
  }

  private static void awaitQuietly(CountDownLatch latch, long deadlineNanos) {
    try {
      latch.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeviceException(DeviceException.Kind.LINK_DOWN, "interrupted while waiting for the fleet", e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeviceException(DeviceException.Kind.LINK_DOWN, "interrupted while waiting for the fleet", e);
    }
  }

  @Override
  public EvalResult evaluate(EvaluateRequest request) {
    return evaluateGroups(List.<EvaluateRequest[]>of(new EvaluateRequest[] {request})).get(0)[0];
  }

  /**
   * Applies the update to the shadow and queues it on every chip that is up, without waiting:
   * each lane runs it before anything submitted later. A chip whose UPDATE fails, or whose
   * clipped count differs from the shadow's, is re-programmed from the shadow.
   */
  @Override
  public UpdateResult update(UpdateRequest request) {
    ChipMirror.State base = mirror.state();
    if (base.weights() == null) throw new IllegalStateException("write the weights of " + uri + " before updating them: the fleet follows a shadow copy");
    long clipped = mirror.update(request);
    ChipMirror.State next = mirror.state();
    updates++;
    boolean verify = opt.verifyEvery() > 0 && updates % opt.verifyEvery() == 0;
    for (Member m : members) {
      if (!m.up) continue; // re-programmed when it rejoins
      m.queue(() -> {
        if (m.held.version() >= next.version()) return null;
        if (m.held.version() != base.version()) {
          m.ready(next); // missed something: program the result directly
          return null;
        }
        Device d = m.ready(base);
        UpdateResult r = d.update(request);
        m.held.updated(next);
        if (r.clippedWeights() != clipped || (verify && drifted(d, next.weights()))) {
          d.writeWeights(next.weights());
          reprograms.incrementAndGet();
        }
        return null;
      });
    }
    return new UpdateResult(clipped);
  }

  private boolean drifted(Device d, float[] shadowWeights) {
    if (!d.info().has(Capability.READ_WEIGHTS)) return false;
    float[] chip = d.readWeights(ReadWeightsRequest.Source.TARGET);
    for (int i = 0; i < chip.length; i++) if (!(Math.abs(chip[i] - shadowWeights[i]) <= opt.driftTolerance())) return true;
    return false;
  }

  /** Runs a task on every chip (offline ones are tried too) and waits; succeeds if at least one chip did. */
  private void broadcast(String what, Function<Member, Callable<Object>> task) {
    List<Future<Object>> fs = new ArrayList<>();
    for (Member m : members) fs.add(m.submit(task.apply(m)));
    int ok = 0;
    StringBuilder errors = new StringBuilder();
    for (int i = 0; i < fs.size(); i++) {
      try {
        fs.get(i).get(opt.giveUp().toMillis(), TimeUnit.MILLISECONDS);
        ok++;
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        if (c instanceof IllegalArgumentException iae) throw iae;
        if (c instanceof DeviceException de && de.kind() == DeviceException.Kind.DEVICE_ERROR) throw de;
        errors.append("\n  ").append(members.get(i).name).append(": ").append(c.getMessage());
      } catch (TimeoutException e) {
        errors.append("\n  ").append(members.get(i).name).append(": still busy after ").append(opt.giveUp().toMillis()).append(" ms");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeviceException(DeviceException.Kind.LINK_DOWN, "interrupted during " + what + " on " + uri, e);
      }
    }
    if (ok == 0) throw new DeviceException(DeviceException.Kind.LINK_DOWN, what + " failed on every chip of " + uri + ":" + errors);
  }

  @Override
  public void uploadDataset(DatasetHeader header, byte[] packedRows) {
    if (packedRows.length != header.totalBytes()) {
      throw new IllegalArgumentException("dataset of " + header.rows() + " rows needs " + header.totalBytes() + " bytes, got " + packedRows.length);
    }
    mirror.upload(header, packedRows.clone());
    ChipMirror.State t = mirror.state();
    broadcast("upload", m -> () -> m.ready(t));
  }

  @Override
  public void writeWeights(float[] weights) {
    if (weights.length != info.parameterCount()) {
      throw new IllegalArgumentException(uri + " holds " + info.parameterCount() + " parameters, got " + weights.length);
    }
    mirror.write(weights);
    ChipMirror.State t = mirror.state();
    broadcast("write weights", m -> () -> m.ready(t));
  }

  @Override
  public void reset() {
    mirror.reset();
    ChipMirror.State zero = mirror.state();
    broadcast("reset", m -> () -> {
      Device d = m.open();
      d.reset();
      m.held.resetTo(zero);
      return null;
    });
  }

  /** Reads from one chip that is up (targets equal the shadow's on every chip in step). */
  @Override
  public float[] readWeights(ReadWeightsRequest.Source source) {
    return onOneChip("read weights", d -> d.readWeights(source));
  }

  @Override
  public long ping(byte[] payload) {
    return onOneChip("ping", d -> d.ping(payload));
  }

  private <T> T onOneChip(String what, Function<Device, T> call) {
    long giveUp = System.nanoTime() + opt.giveUp().toNanos();
    while (true) {
      maintain();
      for (Member m : members) {
        if (!m.up) continue;
        ChipMirror.State t = mirror.state();
        Future<T> f = m.submit(() -> call.apply(m.ready(t)));
        try {
          return f.get(opt.giveUp().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
          if (e.getCause() instanceof DeviceException de && de.kind() == DeviceException.Kind.DEVICE_ERROR) throw de;
          // that chip failed: try the next
        } catch (TimeoutException e) {
          // busy beyond reason: try the next
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new DeviceException(DeviceException.Kind.LINK_DOWN, "interrupted during " + what + " on " + uri, e);
        }
      }
      if (System.nanoTime() > giveUp) throw noChip();
      sleep(20);
    }
  }

  @Override
  public String uri() {
    return uri;
  }

  @Override
  public HelloInfo info() {
    return info;
  }

  @Override
  public int parallelism() {
    return members.size();
  }

  /** Chips currently up. */
  public int online() {
    int n = 0;
    for (Member m : members) if (m.up) n++;
    return n;
  }

  /** Every chip of the fleet, in URI order, online or not. */
  @Override
  public List<FleetChipStatus> fleetChips() {
    List<FleetChipStatus> out = new ArrayList<>();
    for (Member m : members) out.add(new FleetChipStatus(m.name, m.up, m.lastError == null ? "" : m.lastError));
    return out;
  }

  public FleetStats stats() {
    return new FleetStats(members.size(), online(), dropped.get(), failures.get(), rejoins.get(), reprograms.get());
  }

  @Override
  public Optional<FleetStats> fleetStats() {
    return Optional.of(stats());
  }

  /**
   * Counts every command issued before this call on chips that have answered their last
   * evaluation. UPDATEs only queue on the lanes, so this first waits (up to
   * {@link FleetOptions#giveUp()}) for the work queued on each such chip; otherwise bytes per step
   * read from two calls would miss an UPDATE still in its lane. A chip still busy with an
   * evaluation (a slow one the step went on without) is counted as far as it got: waiting for it
   * would hold the trainer as the step deadline does not.
   */
  @Override
  public WireStats wireStats() {
    for (Member m : members) {
      Future<?> f = m.lastQueued;
      // a chip still evaluating (its results not yet handed back) is counted as far as it got
      boolean evaluating = !m.idle() && m.busy != m.delivered;
      if (!m.up || f == null || f.isDone() || evaluating) continue;
      try {
        f.get(opt.giveUp().toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException | CancellationException e) {
        // counted as far as it got; the failure itself is reported by the call that needs the chip
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    long s = 0, r = 0, q = 0, re = 0, st = 0;
    for (Member m : members) {
      WireStats a = m.retired;
      Device d = m.device;
      WireStats b = d == null ? new WireStats(0, 0, 0, 0, 0) : d.wireStats();
      s += a.bytesSent() + b.bytesSent();
      r += a.bytesReceived() + b.bytesReceived();
      q += a.requests() + b.requests();
      re += a.retries() + b.retries();
      st += a.staleReplies() + b.staleReplies();
    }
    return new WireStats(s, r, q, re, st);
  }

  /** Waits (bounded) for queued work, then closes every chip's session. */
  @Override
  public void close() {
    for (Member m : members) m.lane.shutdown();
    for (Member m : members) {
      try {
        if (!m.lane.awaitTermination(opt.stepDeadline().toMillis(), TimeUnit.MILLISECONDS)) m.lane.shutdownNow();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Device d = m.device;
      if (d != null) d.close();
    }
  }
}
