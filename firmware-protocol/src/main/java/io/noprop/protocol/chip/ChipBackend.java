package io.noprop.protocol.chip;

import io.noprop.protocol.msg.BasisChunk;
import io.noprop.protocol.msg.ChipStats;
import io.noprop.protocol.msg.DataRows;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import io.noprop.protocol.msg.WeightsChunk;

/**
 * The chip side of the protocol, free of bytes: a simulator or a bridge to real hardware
 * implements it, and {@link ChipDispatcher} serves it over any link.
 *
 * <p>Calls arrive one at a time. Requests are already validated for shape; the backend checks
 * ranges against its own state and throws {@link ChipException} with a code a user can act on.
 */
public interface ChipBackend {
  HelloInfo hello();

  /** Clears datasets and sets all weights to zero. */
  void reset();

  void defineDataset(DatasetHeader header);

  void writeRows(DataRows rows);

  EvalResult evaluate(EvaluateRequest request);

  UpdateResult update(UpdateRequest request);

  void writeWeights(WeightsChunk chunk);

  WeightsChunk readWeights(ReadWeightsRequest request);

  /**
   * The cost counters since boot or the last RESET (STATS). A backend with counters overrides
   * this and sets {@link io.noprop.protocol.msg.Capability#STATS} in HELLO; this default answers
   * NOT_SUPPORTED.
   */
  /**
   * BASIS_WRITE: a run of a basis vector of the GUIDED directions. A backend with a {@link BasisStore}
   * overrides this and sets {@link io.noprop.protocol.msg.Capability#DIRECTION_GUIDED} and max_basis
   * in HELLO; this default answers NOT_SUPPORTED.
   */
  default void writeBasis(BasisChunk chunk) {
    throw new ChipException(ErrorCode.NOT_SUPPORTED, "this device stores no basis for guided directions (BASIS_WRITE)");
  }

  default ChipStats stats() {
    throw new ChipException(ErrorCode.NOT_SUPPORTED, "this device keeps no cost counters (STATS)");
  }
}
