package io.noprop.driver;

import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;

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

  /** Clears the device's datasets and zeroes its weights. */
  void reset();

  /** Declares a dataset slot and uploads its rows in chunks (rows packed as DATA_WRITE carries them). */
  void uploadDataset(DatasetHeader header, byte[] packedRows);

  EvalResult evaluate(EvaluateRequest request);

  UpdateResult update(UpdateRequest request);

  /** Writes the whole parameter vector, chunked to the device's payload limit. */
  void writeWeights(float[] weights);

  /** Reads the whole parameter vector. */
  float[] readWeights(ReadWeightsRequest.Source source);

  /** Bytes and exchanges on this link so far. */
  WireStats wireStats();

  @Override
  void close();
}
