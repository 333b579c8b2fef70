package io.xcomdb.schema;

import io.xcomdb.XComDbException;

/** The database is not an Airflow metadata database xcomdb knows how to read and write. */
public final class UnknownSchemaException extends XComDbException {

  private static final long serialVersionUID = 1L;

  public UnknownSchemaException(String message) {
    super(message);
  }
}
