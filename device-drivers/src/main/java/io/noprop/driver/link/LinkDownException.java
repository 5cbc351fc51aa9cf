package io.noprop.driver.link;

/** The link cannot carry bytes any more (port closed, peer gone). */
public final class LinkDownException extends RuntimeException {
  public LinkDownException(String message, Throwable cause) {
    super(message, cause);
  }
}
