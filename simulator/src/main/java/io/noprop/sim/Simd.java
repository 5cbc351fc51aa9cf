package io.noprop.sim;

/**
 * Whether {@link VectorKernel} may be used: only when the JVM was started with
 * {@code --add-modules jdk.incubator.vector}. Without it this class answers false and the
 * kernel's class is never loaded. Caution: the JVM then prints "WARNING: Using incubator modules"
 * once at start-up.
 */
final class Simd {
  private Simd() {}

  static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
}
