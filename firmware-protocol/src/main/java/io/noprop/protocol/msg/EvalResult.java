package io.noprop.protocol.msg;

/**
 * EVALUATE reply.
 *
 * <pre>  f32 loss | u16 correct | u16 count | u32 clipped </pre>
 *
 * @param loss mean softmax cross-entropy over the batch (NaN is legal and means the chip failed)
 * @param correct samples whose arg-max output equals the label
 * @param count samples evaluated
 * @param clippedOutputs ADC conversions that saturated during this evaluation
 */
public record EvalResult(float loss, int correct, int count, long clippedOutputs) {
  public byte[] encode() {
    return new PayloadWriter(12).f32(loss).u16(correct).u16(count).u32(clippedOutputs).toByteArray();
  }

  public static EvalResult decode(byte[] payload) {
    PayloadReader r = new PayloadReader(payload);
    EvalResult e = new EvalResult(r.f32("loss"), r.u16("correct"), r.u16("count"), r.u32("clipped"));
    r.end("EVALUATE reply");
    return e;
  }

  public double accuracy() {
    return count == 0 ? Double.NaN : (double) correct / count;
  }
}
