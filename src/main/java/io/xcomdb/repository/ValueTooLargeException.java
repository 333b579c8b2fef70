package io.xcomdb.repository;

import io.xcomdb.XComDbException;

/** A value larger than the database (or its connection) accepts; refused before it is sent. */
public final class ValueTooLargeException extends XComDbException {
  private static final long serialVersionUID = 1L;

  public ValueTooLargeException(long size, long limit, String what) {
    super("The value is " + size + " bytes, more than the " + limit + " bytes " + what + " accepts. "
        + "Store large data elsewhere (object storage) and push a reference to it.");
  }
}
