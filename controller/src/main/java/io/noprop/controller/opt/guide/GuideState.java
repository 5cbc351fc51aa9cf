package io.noprop.controller.opt.guide;

/**
 * The guide at a step boundary, as a checkpoint holds it: the basis the chip was last sent (the
 * shadow needs it to mirror guided UPDATEs, and a resumed run sends it again) and when it was made.
 *
 * @param basis the scaled basis vectors, as sent with BASIS_WRITE
 * @param refreshedAt the step index of the last refresh
 * @param refreshes refreshes so far
 */
public record GuideState(float[][] basis, long refreshedAt, long refreshes) {
  public GuideState {
    float[][] b = new float[basis.length][];
    for (int j = 0; j < b.length; j++) b[j] = basis[j].clone();
    basis = b;
  }

  @Override
  public float[][] basis() {
    float[][] b = new float[basis.length][];
    for (int j = 0; j < b.length; j++) b[j] = basis[j].clone();
    return b;
  }
}
