package io.xcomdb.template;

import io.xcomdb.codec.internal.PyStr;

/**
 * What Jinja2 prints for {@code {{ value }}}: Python's {@code str()} ({@link PyStr}, the codebase's one
 * implementation). Objects Jinjava makes itself (a {@code SafeString}, a macro's output) are not XCom values:
 * they print as Jinjava would, with {@code toString()}.
 */
final class PythonStr {

  private PythonStr() {}

  static String str(Object value) {
    return PyStr.str(value, Object::toString);
  }
}
