package io.noprop.controller.cli;

import java.util.Optional;

/**
 * Line time of a run on a serial link at its configured baud rate. A pseudo-terminal ignores
 * the baud rate, so a virtual bench runs faster than the real cable would; this is what the same
 * bytes cost on the cable. One request is in flight at a time, so the two directions add up.
 *
 * @param baud bits per second of the link
 * @param seconds bytes x 10 bits (8N1: start, 8 data, stop) / baud
 */
record LinkTime(int baud, double seconds) {
  static final int BITS_PER_BYTE_8N1 = 10;

  /** For a device on a serial link ({@link io.noprop.driver.Device#baud()} above 0); empty for any other kind of link. */
  static Optional<LinkTime> at(int baud, long bytes) {
    if (baud <= 0) return Optional.empty();
    return Optional.of(new LinkTime(baud, (double) bytes * BITS_PER_BYTE_8N1 / baud));
  }
}
