package io.noprop.driver.fault;

import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which faults to inject and how often, from one seeded generator, with a count of every
 * injection: the fault suite prints these counts as its table. Thread-safe (a serial relay rolls
 * from two threads).
 */
public final class FaultPlan {
  private final SplittableRandom rnd;
  private final EnumMap<WireFault, Double> rates = new EnumMap<>(WireFault.class);
  private final EnumMap<WireFault, Long> injected = new EnumMap<>(WireFault.class);
  private final EnumMap<WireFault, Integer> once = new EnumMap<>(WireFault.class);
  private volatile boolean armed = true;

  public FaultPlan(long seed) {
    this.rnd = new SplittableRandom(seed);
  }

  /** Injects {@code fault} with this probability per opportunity (per frame, per chunk, per EVALUATE). */
  public synchronized FaultPlan with(WireFault fault, double rate) {
    rates.put(fault, rate);
    return this;
  }

  /** Injects {@code fault} at its next opportunity, once, whatever its rate (for scripted tests). */
  public synchronized FaultPlan once(WireFault fault) {
    once.merge(fault, 1, Integer::sum);
    return this;
  }

  /** While disarmed nothing is injected (setup and the final read-back run clean). */
  public void arm(boolean on) {
    armed = on;
  }

  /** True (and counted) when this opportunity gets the fault. */
  public synchronized boolean roll(WireFault fault) {
    Integer pending = once.get(fault);
    if (pending != null && pending > 0) {
      once.put(fault, pending - 1);
      count(fault);
      return true;
    }
    Double rate = rates.get(fault);
    if (!armed || rate == null || rate <= 0 || rnd.nextDouble() >= rate) return false;
    count(fault);
    return true;
  }

  /** Counts a fault injected by other means (a broker restart, a killed process). */
  public synchronized void count(WireFault fault) {
    injected.merge(fault, 1L, Long::sum);
  }

  public synchronized int nextInt(int bound) {
    return rnd.nextInt(bound);
  }

  public synchronized long injected(WireFault fault) {
    return injected.getOrDefault(fault, 0L);
  }

  public synchronized Map<WireFault, Long> injected() {
    return new EnumMap<>(injected);
  }

  /**
   * Damages a chunk of wire bytes as the plan says: maybe flips one bit of one byte, maybe drops
   * one byte. Returns the chunk to pass on (possibly the same array).
   */
  public byte[] damage(byte[] chunk) {
    if (chunk.length == 0) return chunk;
    byte[] out = chunk;
    if (roll(WireFault.CORRUPT_BYTES)) {
      out = out.clone();
      out[nextInt(out.length)] ^= (byte) (1 << nextInt(8));
    }
    if (out.length > 0 && roll(WireFault.DROP_BYTES)) {
      int i = nextInt(out.length);
      byte[] shorter = new byte[out.length - 1];
      System.arraycopy(out, 0, shorter, 0, i);
      System.arraycopy(out, i + 1, shorter, i, out.length - i - 1);
      out = shorter;
    }
    return out;
  }
}
