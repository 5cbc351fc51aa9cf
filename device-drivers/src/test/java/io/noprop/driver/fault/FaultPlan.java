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
  /** The faults of issue #8; each names what happens on the wire or to the chip. */
  public enum Fault {
    /** One bit of one byte flipped on the way (CRC catches it). */
    CORRUPT_BYTES,
    /** One byte removed from a frame on the way. */
    DROP_BYTES,
    /** A whole frame (request or reply) lost. */
    DROP_FRAME,
    /** A frame delivered twice (a QoS 1 redelivery, a retransmitting bridge). */
    DUPLICATE_FRAME,
    /** A reply held back and delivered after the next one (stale, out of order). */
    REORDER_FRAMES,
    /** The cable pulled mid-exchange and plugged back in (the link goes down and reconnects). */
    PULL_CABLE,
    /** The MQTT broker stopped and started again (every connection drops). */
    BROKER_RESTART,
    /** The chip reset (power cycle): weights, datasets and replay cache lost, new boot count. */
    CHIP_RESET,
    /** The chip answers an EVALUATE with a NaN loss. */
    NAN_LOSS,
    /** The chip answers an EVALUATE with a finite loss no cross-entropy can take (negative, huge). */
    OUT_OF_RANGE_LOSS,
    /** The controller process killed with SIGKILL (during checkpoint writes) and resumed. */
    KILL_CONTROLLER
  }

  private final SplittableRandom rnd;
  private final EnumMap<Fault, Double> rates = new EnumMap<>(Fault.class);
  private final EnumMap<Fault, Long> injected = new EnumMap<>(Fault.class);
  private final EnumMap<Fault, Integer> once = new EnumMap<>(Fault.class);
  private volatile boolean armed = true;

  public FaultPlan(long seed) {
    this.rnd = new SplittableRandom(seed);
  }

  /** Injects {@code fault} with this probability per opportunity (per frame, per chunk, per EVALUATE). */
  public synchronized FaultPlan with(Fault fault, double rate) {
    rates.put(fault, rate);
    return this;
  }

  /** Injects {@code fault} at its next opportunity, once, whatever its rate (for scripted tests). */
  public synchronized FaultPlan once(Fault fault) {
    once.merge(fault, 1, Integer::sum);
    return this;
  }

  /** While disarmed nothing is injected (setup and the final read-back run clean). */
  public void arm(boolean on) {
    armed = on;
  }

  /** True (and counted) when this opportunity gets the fault. */
  public synchronized boolean roll(Fault fault) {
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
  public synchronized void count(Fault fault) {
    injected.merge(fault, 1L, Long::sum);
  }

  public synchronized int nextInt(int bound) {
    return rnd.nextInt(bound);
  }

  public synchronized long injected(Fault fault) {
    return injected.getOrDefault(fault, 0L);
  }

  public synchronized Map<Fault, Long> injected() {
    return new EnumMap<>(injected);
  }

  /**
   * Damages a chunk of wire bytes as the plan says: maybe flips one bit of one byte, maybe drops
   * one byte. Returns the chunk to pass on (possibly the same array).
   */
  public byte[] damage(byte[] chunk) {
    if (chunk.length == 0) return chunk;
    byte[] out = chunk;
    if (roll(Fault.CORRUPT_BYTES)) {
      out = out.clone();
      out[nextInt(out.length)] ^= (byte) (1 << nextInt(8));
    }
    if (out.length > 0 && roll(Fault.DROP_BYTES)) {
      int i = nextInt(out.length);
      byte[] shorter = new byte[out.length - 1];
      System.arraycopy(out, 0, shorter, 0, i);
      System.arraycopy(out, i + 1, shorter, i, out.length - i - 1);
      out = shorter;
    }
    return out;
  }
}
