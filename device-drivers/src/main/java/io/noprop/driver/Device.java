package io.noprop.driver;

import io.noprop.driver.fleet.FleetChipStatus;
import io.noprop.driver.fleet.FleetStats;
import io.noprop.protocol.msg.ChipStats;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A chip as the controller sees it: a loss oracle with weights it can nudge by seed. Open one
 * with {@link Devices#open(String)}. Every call is one or more protocol exchanges; failures are
 * {@link DeviceException}s that say what to do.
 */
public interface Device extends AutoCloseable {
  /** The URI this device was opened from. */
  String uri();

  /** What the device said in HELLO when the link was opened. */
  HelloInfo info();

  /** Round trip with an echoed payload; returns the round-trip time in nanoseconds. */
  long ping(byte[] payload);

  /**
   * True once after this device saw its chip reboot (a HELLO with a new boot count) without
   * restoring it: the chip is blank and whoever keeps its state must bring it back. A device that
   * restores reboots itself ({@link ResilientDevice}) never reports one.
   */
  default boolean takeReboot() {
    return false;
  }

  /** The configured line rate in bit/s of the serial link to the chip, 0 when the link has none (in-process, MQTT). */
  default int baud() {
    return 0;
  }

  /** How the chips of a fleet fared (dropped pairs, failures, rejoins); empty for a single chip on its own link. */
  default Optional<FleetStats> fleetStats() {
    return Optional.empty();
  }

  /** Every chip of a fleet, in URI order, online or not; empty for a single chip on its own link. */
  default List<FleetChipStatus> fleetChips() {
    return List.of();
  }

  /** Clears the device's datasets and zeroes its weights. */
  void reset();

  /** Declares a dataset slot and uploads its rows in chunks (rows packed as DATA_WRITE carries them). */
  void uploadDataset(DatasetHeader header, byte[] packedRows);

  EvalResult evaluate(EvaluateRequest request);

  UpdateResult update(UpdateRequest request);

  /**
   * Evaluates groups of requests (an antithetic pair is a group): each group runs on one chip, so
   * its answers are comparable. A fleet spreads the groups across its chips in parallel and may
   * drop a group whose chip failed or missed the step's deadline: its entry is then null. This
   * default runs every group here, in order, and never drops one.
   */
  default List<EvalResult[]> evaluateGroups(List<EvaluateRequest[]> groups) {
    List<EvalResult[]> out = new ArrayList<>(groups.size());
    for (EvaluateRequest[] g : groups) {
      EvalResult[] r = new EvalResult[g.length];
      for (int i = 0; i < g.length; i++) r[i] = evaluate(g[i]);
      out.add(r);
    }
    return out;
  }

  /** How many groups {@link #evaluateGroups} runs at once: the number of chips behind this device. */
  default int parallelism() {
    return 1;
  }

  /** Writes the whole parameter vector, chunked to the device's payload limit. */
  void writeWeights(float[] weights);

  /**
   * Stores basis vector {@code index} of the GUIDED directions (BASIS_WRITE, chunked to the payload
   * limit). Only for a device whose HELLO has {@code DIRECTION_GUIDED} and {@code index < maxBasis};
   * this default refuses.
   */
  default void writeBasis(int index, float[] vector) {
    throw new DeviceException(DeviceException.Kind.PROTOCOL, uri() + " stores no basis for guided directions");
  }

  /** Reads the whole parameter vector. */
  float[] readWeights(ReadWeightsRequest.Source source);

  /**
   * The chip's cost counters (STATS) since its boot or last RESET: chip time, energy and
   * operation counts. Empty when the device lacks the {@code STATS} capability (older firmware,
   * serial or MQTT chips without counters) and for a fleet, whose chips come and go and are reset
   * on rejoin, so no single monotonic reading exists. This default is empty.
   */
  default Optional<ChipStats> chipStats() {
    return Optional.empty();
  }

  /** Bytes and exchanges on this link so far. */
  WireStats wireStats();

  @Override
  void close();
}
