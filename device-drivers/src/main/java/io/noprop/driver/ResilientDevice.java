package io.noprop.driver;

import io.noprop.protocol.msg.ChipStats;
import io.noprop.protocol.msg.DatasetHeader;
import io.noprop.protocol.msg.ErrorCode;
import io.noprop.protocol.msg.EvalResult;
import io.noprop.protocol.msg.EvaluateRequest;
import io.noprop.protocol.msg.HelloInfo;
import io.noprop.protocol.msg.ReadWeightsRequest;
import io.noprop.protocol.msg.UpdateRequest;
import io.noprop.protocol.msg.UpdateResult;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A single chip that survives its own reboots: every UPDATE, WRITE_WEIGHTS, dataset upload and
 * RESET is mirrored on a {@link ChipMirror}, and when the chip turns out to have rebooted it is
 * brought back (datasets re-uploaded, weights re-programmed from the shadow) before the caller's
 * next request goes out.
 *
 * <p>A reboot shows in one of three ways, all through the HELLO boot count (PROTOCOL.md, HELLO):
 * <ul>
 *   <li>the link dropped and came back (cable pulled, chip power-cycled): the identity HELLO
 *       after the reconnect carries a new boot count;
 *   <li>the link stayed up but the chip rebooted behind it (watchdog on a UART bridge): the next
 *       EVALUATE is refused with {@code NO_DATASET}, a fresh HELLO confirms the new boot, and the
 *       EVALUATE is sent again after the restore;
 *   <li>before {@link #readWeights} a HELLO checks the boot, so weights read back are never those
 *       of a blank chip.
 * </ul>
 * An UPDATE that was outstanding across the reboot needs no special case: the shadow already
 * holds it and the restore writes every weight.
 */
public final class ResilientDevice implements Device {
  private static final int MAX_RESTORES_PER_CALL = 3;
  private final ProtocolDevice inner;
  private final ChipMirror shadow;
  private long restores;
  private boolean blindUpdates; // UPDATEs applied before any WRITE_WEIGHTS or RESET: the shadow cannot follow them

  public ResilientDevice(ProtocolDevice inner) {
    this.inner = inner;
    HelloInfo h = inner.info();
    this.shadow = new ChipMirror(h.parameterCount(), h.weightMin(), h.weightMax());
  }

  /** Runs a call; restores the chip when it rebooted during it, or when its failure is what a reboot looks like, and then retries. */
  private <T> T guarded(Supplier<T> call, boolean retryAfterRestore) {
    for (int attempt = 0; ; attempt++) {
      T result;
      try {
        result = call.get();
      } catch (DeviceException e) {
        if (attempt < MAX_RESTORES_PER_CALL && rebootBehind(e)) {
          restore();
          if (retryAfterRestore) continue;
        }
        throw e;
      }
      if (inner.takeReboot()) restore();
      return result;
    }
  }

  private boolean rebootBehind(DeviceException e) {
    if (inner.takeReboot()) return true;
    if (e.kind() == DeviceException.Kind.DEVICE_ERROR && e.error() != null
        && (e.error().knownCode() == ErrorCode.NO_DATASET || e.error().knownCode() == ErrorCode.NO_BASIS)) { // what a chip that lost its memory answers
      inner.helloAgain();
      return inner.takeReboot();
    }
    return false;
  }

  private void restore() {
    for (int i = 0; i < MAX_RESTORES_PER_CALL; i++) {
      if (blindUpdates) {
        // the chip's weights moved from values noprop never knew: refuse rather than train on whatever it booted with
        throw new DeviceException(DeviceException.Kind.PROTOCOL, inner.uri() + " rebooted (its HELLO boot count changed) after UPDATEs on weights "
            + "noprop never wrote, so they cannot be restored; write the weights first, or start the run again");
      }
      restores++;
      new ChipMirror.Holding().bring(inner, shadow.state()); // a blank chip: datasets, then weights
      if (!inner.takeReboot()) return;
    }
    throw new DeviceException(DeviceException.Kind.LINK_DOWN, inner.uri() + " rebooted " + MAX_RESTORES_PER_CALL
        + " times while its datasets and weights were being restored; check its power supply");
  }

  @Override
  public EvalResult evaluate(EvaluateRequest request) {
    return guarded(() -> inner.evaluate(request), true);
  }

  @Override
  public UpdateResult update(UpdateRequest request) {
    long before = restores;
    long[] mirrored = {-1};
    UpdateResult r = guarded(() -> {
      UpdateResult u = inner.update(request);
      mirrored[0] = shadow.update(request); // before a restore the call may trigger, so that the restore includes it
      if (mirrored[0] < 0) blindUpdates = true;
      return u;
    }, false);
    // restored meanwhile: the chip applied it to blank weights, then got the shadow's; report the shadow's clipping
    return restores != before && mirrored[0] >= 0 ? new UpdateResult(mirrored[0]) : r;
  }

  @Override
  public void writeWeights(float[] weights) {
    shadow.write(weights);
    blindUpdates = false;
    guarded(() -> {
      inner.writeWeights(weights);
      return null;
    }, false);
  }

  @Override
  public void writeBasis(int index, float[] vector) {
    shadow.writeBasis(index, vector);
    guarded(() -> {
      inner.writeBasis(index, vector);
      return null;
    }, false);
  }

  @Override
  public void uploadDataset(DatasetHeader header, byte[] packedRows) {
    guarded(() -> {
      inner.uploadDataset(header, packedRows);
      shadow.upload(header, packedRows); // once the chip took it (a refused upload is not replayed)
      return null;
    }, true); // a reboot mid-upload shows as NO_DATASET on the next chunk: restore, then upload again
  }

  @Override
  public void reset() {
    guarded(() -> {
      inner.reset();
      shadow.reset();
      blindUpdates = false;
      return null;
    }, false);
  }

  /** Checks the boot first (one HELLO): weights read back are never those of a chip that rebooted unnoticed. */
  @Override
  public float[] readWeights(ReadWeightsRequest.Source source) {
    if (!shadow.isEmpty()) {
      inner.helloAgain();
      if (inner.takeReboot()) restore();
    }
    return guarded(() -> inner.readWeights(source), true);
  }

  @Override
  public long ping(byte[] payload) {
    return guarded(() -> inner.ping(payload), false);
  }

  @Override
  public Optional<ChipStats> chipStats() {
    return guarded(inner::chipStats, false);
  }

  @Override
  public String uri() {
    return inner.uri();
  }

  @Override
  public HelloInfo info() {
    return inner.info();
  }

  @Override
  public WireStats wireStats() {
    return inner.wireStats();
  }

  @Override
  public int baud() {
    return inner.baud();
  }

  /** Times the chip was brought back after a reboot. */
  public long restores() {
    return restores;
  }

  /** Reboots seen (HELLOs with a new boot count). */
  public long reboots() {
    return inner.reboots();
  }

  /** Times the link went down and came back. */
  public long reconnects() {
    return inner.reconnects();
  }

  /** The target weights the chip holds (or must hold again after a reboot); null before they were written. */
  public float[] shadowWeights() {
    return shadow.weights();
  }

  public ProtocolDevice inner() {
    return inner;
  }

  @Override
  public void close() {
    inner.close();
  }
}
