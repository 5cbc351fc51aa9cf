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
import java.util.List;
import java.util.Optional;

/**
 * A {@link Device} that forwards every call, default methods included, to another device; a
 * subclass overrides the calls it changes (fails, counts, delays) and inherits the rest, in the
 * manner of Okio's {@code ForwardingSource}. Forwarding {@link #evaluateGroups} and
 * {@link #parallelism} keeps a wrapped fleet a fleet.
 */
public abstract class ForwardingDevice implements Device {
  private final Device delegate;

  protected ForwardingDevice(Device delegate) {
    if (delegate == null) throw new IllegalArgumentException("delegate must not be null");
    this.delegate = delegate;
  }

  /** The device this one forwards to. */
  public final Device delegate() {
    return delegate;
  }

  @Override
  public String uri() {
    return delegate.uri();
  }

  @Override
  public HelloInfo info() {
    return delegate.info();
  }

  @Override
  public long ping(byte[] payload) {
    return delegate.ping(payload);
  }

  @Override
  public boolean takeReboot() {
    return delegate.takeReboot();
  }

  @Override
  public int baud() {
    return delegate.baud();
  }

  @Override
  public Optional<FleetStats> fleetStats() {
    return delegate.fleetStats();
  }

  @Override
  public List<FleetChipStatus> fleetChips() {
    return delegate.fleetChips();
  }

  @Override
  public void reset() {
    delegate.reset();
  }

  @Override
  public void uploadDataset(DatasetHeader header, byte[] packedRows) {
    delegate.uploadDataset(header, packedRows);
  }

  @Override
  public EvalResult evaluate(EvaluateRequest request) {
    return delegate.evaluate(request);
  }

  @Override
  public UpdateResult update(UpdateRequest request) {
    return delegate.update(request);
  }

  @Override
  public List<EvalResult[]> evaluateGroups(List<EvaluateRequest[]> groups) {
    return delegate.evaluateGroups(groups);
  }

  @Override
  public int parallelism() {
    return delegate.parallelism();
  }

  @Override
  public void writeWeights(float[] weights) {
    delegate.writeWeights(weights);
  }

  @Override
  public void writeBasis(int index, float[] vector) {
    delegate.writeBasis(index, vector);
  }

  @Override
  public float[] readWeights(ReadWeightsRequest.Source source) {
    return delegate.readWeights(source);
  }

  @Override
  public Optional<ChipStats> chipStats() {
    return delegate.chipStats();
  }

  @Override
  public WireStats wireStats() {
    return delegate.wireStats();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(" + delegate + ")";
  }
}
