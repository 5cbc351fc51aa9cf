package io.noprop.driver;

import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.UpdateRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a chip was told to hold, kept on the controller so that a chip that lost it (a reboot, a
 * fleet member that was away) can be brought back: its datasets and its target weights, with
 * UPDATE mirrored bit for bit as PROTOCOL.md section 11 specifies. The one record of chip state
 * the drivers keep: {@link ResilientDevice} (one chip) and {@link io.noprop.driver.fleet.FleetDevice}
 * (each member) both bring chips to a {@link State} of it with a {@link Holding}.
 *
 * <p>One thread changes the mirror; any thread may read {@link #state()}, an immutable value.
 * Dataset rows are kept by reference, not copied: callers must not change an array after
 * uploading it (the trainer never does).
 */
public final class ChipMirror {
  /** One dataset as it was uploaded. */
  public record Upload(DatasetHeader header, byte[] rows) {}

  /**
   * What the chip must hold at one moment.
   *
   * @param epoch changes at every RESET (the chip's datasets are cleared)
   * @param uploads every upload since the last RESET, in order (a slot uploaded twice appears twice)
   * @param version changes with every change of the target weights
   * @param weights the target weights, or null while unknown (the chip's own initial weights)
   * @param basis the basis vectors of GUIDED directions written since the last RESET (null rows: not written), or null for none
   * @param basisVersion changes with every basis write
   */
  public record State(long epoch, List<Upload> uploads, long version, float[] weights, float[][] basis, long basisVersion) {
    /** The last upload of each slot, in the order they were last uploaded: what a blank chip needs. */
    public List<Upload> latestPerSlot() {
      Map<Integer, Upload> last = new LinkedHashMap<>();
      for (Upload u : uploads) {
        last.remove(u.header().slot());
        last.put(u.header().slot(), u);
      }
      return new ArrayList<>(last.values());
    }
  }

  /**
   * What one chip holds of the mirror, as far as the controller knows; touched by one thread at a
   * time (the chip's caller or its fleet lane). A new holding knows nothing: the chip is blank.
   */
  public static final class Holding {
    private long epoch = -1;
    private int uploads;
    private long version = -1;
    private long basisVersion = -1;

    /** The chip rebooted: it holds nothing. */
    public void forget() {
      epoch = -1;
      uploads = 0;
      version = -1;
      basisVersion = -1;
    }

    /** The chip was RESET to this state (cleared datasets, zero weights, no basis). */
    public void resetTo(State s) {
      epoch = s.epoch();
      uploads = s.uploads().size();
      version = s.version();
      basisVersion = s.basisVersion();
    }

    /** The chip took the basis write that led to {@code next}. */
    public void basisWritten(State next) {
      basisVersion = next.basisVersion();
    }

    /** The chip took the UPDATE that led to {@code next}. */
    public void updated(State next) {
      version = next.version();
    }

    public long version() {
      return version;
    }

    /** True when the chip holds some weights the controller wrote (not blank). */
    public boolean programmed() {
      return version >= 0;
    }

    /**
     * Brings the chip to {@code target}: datasets it lacks (all of them, last per slot, when it is
     * blank or from another epoch; a chip from another epoch is RESET first), the basis vectors if
     * their version differs, then the weights if their version differs. Returns true when weights
     * were written.
     */
    public boolean bring(Device d, State target) {
      if (epoch != target.epoch()) {
        if (epoch >= 0) d.reset(); // missed a RESET: clear what it still holds
        for (Upload u : target.latestPerSlot()) d.uploadDataset(u.header(), u.rows());
        epoch = target.epoch();
        uploads = target.uploads().size();
      }
      for (; uploads < target.uploads().size(); uploads++) {
        Upload u = target.uploads().get(uploads);
        d.uploadDataset(u.header(), u.rows());
      }
      if (target.basis() != null && basisVersion != target.basisVersion()) {
        for (int j = 0; j < target.basis().length; j++) if (target.basis()[j] != null) d.writeBasis(j, target.basis()[j]);
        basisVersion = target.basisVersion();
      }
      if (target.weights() != null && version != target.version()) {
        d.writeWeights(target.weights());
        version = target.version();
        return true;
      }
      return false;
    }
  }

  private final int parameters;
  private final float lo;
  private final float hi;
  private volatile State state = new State(0, List.of(), 0, null, null, 0);

  public ChipMirror(int parameters, float weightMin, float weightMax) {
    this.parameters = parameters;
    this.lo = weightMin;
    this.hi = weightMax;
  }

  public State state() {
    return state;
  }

  public void upload(DatasetHeader header, byte[] rows) {
    State s = state;
    List<Upload> u = new ArrayList<>(s.uploads());
    u.add(new Upload(header, rows));
    state = new State(s.epoch(), List.copyOf(u), s.version(), s.weights(), s.basis(), s.basisVersion());
  }

  public void write(float[] w) {
    if (w.length != parameters) throw new IllegalArgumentException("the chip holds " + parameters + " parameters, got " + w.length);
    State s = state;
    state = new State(s.epoch(), s.uploads(), s.version() + 1, w.clone(), s.basis(), s.basisVersion());
  }

  /** Mirrors a whole basis vector {@code index} written with BASIS_WRITE (the drivers always write whole vectors). */
  public void writeBasis(int index, float[] vector) {
    if (vector.length != parameters) throw new IllegalArgumentException("a basis vector has " + parameters + " entries, got " + vector.length);
    State s = state;
    int n = Math.max(index + 1, s.basis() == null ? 0 : s.basis().length);
    float[][] b = new float[n][];
    if (s.basis() != null) System.arraycopy(s.basis(), 0, b, 0, s.basis().length);
    b[index] = vector.clone();
    state = new State(s.epoch(), s.uploads(), s.version(), s.weights(), b, s.basisVersion() + 1);
  }

  /** Mirrors an UPDATE; returns the clipped count the chip must report, or -1 while the weights are unknown. */
  public long update(UpdateRequest request) {
    State s = state;
    if (s.weights() == null) return -1;
    float[] w = s.weights().clone();
    long clipped = UpdateRequest.apply(w, request.terms(), s.basis(), lo, hi);
    state = new State(s.epoch(), s.uploads(), s.version() + 1, w, s.basis(), s.basisVersion());
    return clipped;
  }

  /** RESET: no datasets, every parameter 0, no basis. */
  public void reset() {
    State s = state;
    state = new State(s.epoch() + 1, List.of(), s.version() + 1, new float[parameters], null, s.basisVersion() + 1);
  }

  /** True before anything was uploaded, written or reset: a blank chip needs nothing from the mirror. */
  public boolean isEmpty() {
    State s = state;
    return s.weights() == null && s.uploads().isEmpty();
  }

  /** A copy of the target weights, or null while unknown. */
  public float[] weights() {
    float[] w = state.weights();
    return w == null ? null : w.clone();
  }
}
