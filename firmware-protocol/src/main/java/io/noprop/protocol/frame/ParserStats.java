package io.noprop.protocol.frame;

/**
 * What a frame decoder saw: a user can print it when a link misbehaves.
 *
 * @param bytes bytes fed, delimiters included
 * @param frames good frames delivered
 * @param badCrc frames whose CRC did not match
 * @param malformed frames with bad stuffing or a length field that disagrees with the size
 * @param oversize runs longer than the configured maximum, skipped
 * @param resyncs delimiters found after skipping an oversize run
 */
public record ParserStats(long bytes, long frames, long badCrc, long malformed, long oversize, long resyncs) {

  public long rejected() {
    return badCrc + malformed + oversize;
  }

  static final class Counter {
    long bytes, frames, badCrc, malformed, oversize, resyncs;

    void count(FrameException.Kind kind) {
      if (kind == FrameException.Kind.BAD_CRC) badCrc++;
      else malformed++;
    }

    ParserStats snapshot() {
      return new ParserStats(bytes, frames, badCrc, malformed, oversize, resyncs);
    }
  }
}
