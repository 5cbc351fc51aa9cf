package io.noprop.protocol.msg;

/** A payload that does not match its message layout. */
public final class MalformedPayloadException extends RuntimeException {
  public MalformedPayloadException(String message) {
    super(message);
  }
}
