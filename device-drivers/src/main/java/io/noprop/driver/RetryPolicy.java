package io.noprop.driver;

import java.time.Duration;

/**
 * How long to wait for a reply and how often to resend. Resending is safe for every command:
 * the chip replays its cached reply to a repeated sequence number (PROTOCOL.md, "at most once").
 *
 * @param timeout wait per attempt
 * @param attempts total sends of one request, at least 1
 */
public record RetryPolicy(Duration timeout, int attempts) {
  public RetryPolicy {
    if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive: " + timeout);
    if (attempts < 1) throw new IllegalArgumentException("attempts must be >= 1: " + attempts);
  }

  /** In-process and local links: replies are immediate, so a short wait suffices. */
  public static final RetryPolicy LOCAL = new RetryPolicy(Duration.ofSeconds(5), 3);
  /** Serial and network links. */
  public static final RetryPolicy REMOTE = new RetryPolicy(Duration.ofMillis(1000), 5);
}
