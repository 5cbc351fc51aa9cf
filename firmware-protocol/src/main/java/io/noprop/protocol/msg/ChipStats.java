package io.noprop.protocol.msg;

/**
 * STATS reply: the chip's cost counters since boot or the last RESET, monotonic in between.
 *
 * <pre>  f64 chip_seconds | f64 joules | u64 evaluations | u64 updates | u64 mvms | u64 pulses | u64 cell_reads </pre>
 *
 * 56 bytes. The two f64 must be finite and &ge; 0. The u64 counters are carried as Java longs
 * (values of 2^63 and more, which no chip reaches, would read negative).
 *
 * @param chipSeconds chip time spent on operations (and idle time the chip counts), s
 * @param joules energy spent on operations, J
 * @param evaluations EVALUATE requests served
 * @param updates UPDATE requests served
 * @param mvms tile matrix-vector products (one sample through one tile)
 * @param pulses write pulses (programming attempts and UPDATE pulses)
 * @param cellReads single-cell reads (verify reads and READ_WEIGHTS)
 */
public record ChipStats(double chipSeconds, double joules, long evaluations, long updates, long mvms, long pulses, long cellReads) {
  public static final int BYTES = 56;

  public ChipStats {
    if (!(Double.isFinite(chipSeconds) && chipSeconds >= 0)) throw new IllegalArgumentException("chip_seconds must be finite and >= 0, got " + chipSeconds);
    if (!(Double.isFinite(joules) && joules >= 0)) throw new IllegalArgumentException("joules must be finite and >= 0, got " + joules);
  }

  public byte[] encode() {
    return new PayloadWriter(BYTES).f64(chipSeconds).f64(joules).u64(evaluations).u64(updates).u64(mvms).u64(pulses).u64(cellReads)
        .toByteArray();
  }

  public static ChipStats decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    double s = r.f64("chip_seconds");
    double j = r.f64("joules");
    long ev = r.u64("evaluations");
    long up = r.u64("updates");
    long mv = r.u64("mvms");
    long pu = r.u64("pulses");
    long rd = r.u64("cell_reads");
    r.end("STATS reply");
    if (!(Double.isFinite(s) && s >= 0)) throw new MalformedPayloadException("chip_seconds must be finite and >= 0, got " + s);
    if (!(Double.isFinite(j) && j >= 0)) throw new MalformedPayloadException("joules must be finite and >= 0, got " + j);
    return new ChipStats(s, j, ev, up, mv, pu, rd);
  }

  /** The counters accumulated between {@code earlier} and this reading. */
  public ChipStats minus(ChipStats earlier) {
    return new ChipStats(Math.max(0, chipSeconds - earlier.chipSeconds), Math.max(0, joules - earlier.joules), evaluations - earlier.evaluations,
        updates - earlier.updates, mvms - earlier.mvms, pulses - earlier.pulses, cellReads - earlier.cellReads);
  }
}
