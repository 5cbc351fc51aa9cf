package io.noprop.driver;

/**
 * Traffic on one link.
 *
 * @param bytesSent bytes written to the link, framing included
 * @param bytesReceived bytes read from the link, framing included
 * @param requests requests completed
 * @param retries requests re-sent after a timeout or a corrupt-frame report
 * @param staleReplies replies dropped because they answered an earlier attempt
 */
public record WireStats(long bytesSent, long bytesReceived, long requests, long retries, long staleReplies) {
  public WireStats minus(WireStats o) {
    return new WireStats(bytesSent - o.bytesSent, bytesReceived - o.bytesReceived, requests - o.requests,
        retries - o.retries, staleReplies - o.staleReplies);
  }
}
