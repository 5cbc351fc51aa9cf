package io.noprop.controller.data;

/** Data that cannot be found or read; the message says which file and what to do. */
public final class DataException extends RuntimeException {
  public DataException(String message) {
    super(message);
  }

  public DataException(String message, Throwable cause) {
    super(message, cause);
  }
}
