package io.noprop.protocol.msg;

/**
 * EVALUATE: loss of the network on a stored batch, optionally under a perturbation.
 *
 * <pre>
 *   u8 slot | u8 mode | u32 start-or-seed | u16 count | u8 distribution | u32 seed | i8 sign | f32 scale
 *   [ u32 offset | u32 length | u8 density ]     distribution MASKED only
 * </pre>
 */
public record EvaluateRequest(int slot, BatchSelector batch, Perturbation perturbation) {
  /** Payload bytes with a dense or no perturbation; MASKED adds {@link DirectionMask#BYTES}. */
  public static final int BYTES = 18;

  public byte[] encode() {
    PayloadWriter w = new PayloadWriter(BYTES + DirectionMask.BYTES);
    w.u8(slot);
    batch.write(w);
    perturbation.write(w);
    return w.toByteArray();
  }

  public static EvaluateRequest decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    int slot = r.u8("slot");
    BatchSelector b = BatchSelector.read(r);
    Perturbation p = Perturbation.read(r);
    r.end("EVALUATE");
    return new EvaluateRequest(slot, b, p);
  }
}
