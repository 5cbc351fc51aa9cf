package io.noprop.controller.opt.estimator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class AntitheticEsTest {
  @Test
  void centredRanksSpanMinusHalfToHalfAndShareTies() {
    assertArrayEquals(new double[] {0.5, -0.5, 0, 0}, AntitheticEs.centredRanks(new double[] {9, 1, 5, 5}), 1e-12);
  }
}
