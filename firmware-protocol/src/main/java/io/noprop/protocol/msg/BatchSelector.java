package io.noprop.protocol.msg;

/**
 * Names a batch of an uploaded dataset without sending it.
 *
 * @param mode RANGE: rows [start, start+count); SEEDED: rows drawn by the batch PRNG from a seed
 * @param startOrSeed first row (RANGE) or seed (SEEDED), unsigned 32-bit
 * @param count batch size, 1..maxBatch
 */
public record BatchSelector(Mode mode, int startOrSeed, int count) {
  public enum Mode {
    RANGE(0), SEEDED(1);

    public final int code;

    Mode(int code) {
      this.code = code;
    }

    static Mode of(int code) {
      for (Mode m : values()) if (m.code == code) return m;
      throw new MalformedPayloadException("unknown batch mode " + code);
    }
  }

  public BatchSelector {
    if (count < 1 || count > 0xFFFF) throw new IllegalArgumentException("batch count must be in [1, 65535]: " + count);
  }

  public static BatchSelector range(int start, int count) {
    return new BatchSelector(Mode.RANGE, start, count);
  }

  public static BatchSelector seeded(int seed, int count) {
    return new BatchSelector(Mode.SEEDED, seed, count);
  }

  void write(PayloadWriter w) {
    w.u8(mode.code).i32(startOrSeed).u16(count);
  }

  static BatchSelector read(PayloadReader r) {
    Mode m = Mode.of(r.u8("batch mode"));
    int a = r.i32("batch start/seed");
    int n = r.u16("batch count");
    if (n == 0) throw new MalformedPayloadException("batch count is 0");
    return new BatchSelector(m, a, n);
  }
}
