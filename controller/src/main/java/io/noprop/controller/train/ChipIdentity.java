package io.noprop.controller.train;

import io.noprop.protocol.msg.HelloInfo;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which chip and which network a checkpoint's weights belong to, as HELLO named them: device id,
 * model, layer sizes and parameter count. A resume checks the checkpoint's identity against the
 * device's here, in one place.
 *
 * @param deviceId the chip's stable id (serial number); null for checkpoints written before
 *     identities were recorded (format 1)
 * @param model kind of device, e.g. {@code sim:rram}
 * @param layers network widths, input to output
 * @param parameters length of the parameter vector
 */
public record ChipIdentity(String deviceId, String model, int[] layers, int parameters) {
  public ChipIdentity {
    layers = layers.clone();
  }

  public static ChipIdentity of(HelloInfo h) {
    return new ChipIdentity(h.deviceId(), h.model(), h.layerSizes(), h.parameterCount());
  }

  @Override
  public int[] layers() {
    return layers.clone();
  }

  /** For people: {@code chip-1 (sim:rram, 784-64-10, 50890 parameters)}. */
  public String describe() {
    return (deviceId == null ? "an unrecorded chip" : deviceId) + " (" + model + ", "
        + Arrays.stream(layers).mapToObj(Integer::toString).collect(Collectors.joining("-")) + ", " + parameters + " parameters)";
  }

  /**
   * Refuses to resume the checkpoint's weights on {@code device} unless both name the same chip
   * and network. A different chip or model is allowed with {@code force} (the caller prints the
   * returned warning); a different shape never is: the weights would not fit.
   *
   * @return null when the identities match, else the warning for a forced resume
   * @throws TrainingException naming both identities and what to do
   */
  public static String checkResume(ChipIdentity checkpoint, ChipIdentity device, String deviceUri, String where, boolean force) {
    String both = "the checkpoint in " + where + " was made on " + checkpoint.describe() + " but " + deviceUri + " is " + device.describe();
    if (!Arrays.equals(checkpoint.layers, device.layers) || checkpoint.parameters != device.parameters) {
      throw new TrainingException(both + "; the network shapes differ, so the weights cannot be resumed there (not even with --force-identity): "
          + "resume on a device with the same layers, or start a new run in another --out");
    }
    boolean sameChip = checkpoint.deviceId == null || checkpoint.deviceId.equals(device.deviceId);
    if (sameChip && checkpoint.model.equals(device.model)) return null;
    if (!force) {
      throw new TrainingException(both + "; resume on the same chip, or pass --force-identity to continue these weights on this one");
    }
    return "warning: --force-identity: " + both + "; continuing on this chip";
  }
}
