package io.xcomdb;

/**
 * Every error xcomdb raises on purpose. The message says what was found and what to do about it, in words a user
 * can act on without reading a stack trace.
 */
public class XComDbException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public XComDbException(String message) {
    super(message);
  }

  public XComDbException(String message, Throwable cause) {
    super(message, cause);
  }
}
