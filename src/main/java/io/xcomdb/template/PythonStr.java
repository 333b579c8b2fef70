package io.xcomdb.template;

import io.xcomdb.codec.internal.PyFloat;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Python's {@code str()} of the plain values a template sees, which is what Jinja2 prints for {@code {{ value }}}:
 * {@code None}, {@code True}/{@code False}, floats as Python writes them, and lists and dicts with their items in
 * {@code repr()} form ({@code ['a', 1]}, {@code {'k': None}}).
 */
final class PythonStr {

  private PythonStr() {}

  static String str(Object value) {
    if (value instanceof String s) {
      return s;
    }
    StringBuilder out = new StringBuilder();
    repr(value, out);
    return out.toString();
  }

  private static void repr(Object value, StringBuilder out) {
    if (value == null) {
      out.append("None");
    } else if (value instanceof Boolean b) {
      out.append(b ? "True" : "False");
    } else if (value instanceof String s) {
      string(s, out);
    } else if (value instanceof Double || value instanceof Float) {
      out.append(PyFloat.repr(((Number) value).doubleValue()));
    } else if (value instanceof BigDecimal d) {
      out.append(PyFloat.repr(d.doubleValue()));
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        repr(e.getKey(), out);
        out.append(": ");
        repr(e.getValue(), out);
        if (it.hasNext()) {
          out.append(", ");
        }
      }
      out.append('}');
    } else if (value instanceof Collection<?> items) {
      out.append('[');
      Iterator<?> it = items.iterator();
      while (it.hasNext()) {
        repr(it.next(), out);
        if (it.hasNext()) {
          out.append(", ");
        }
      }
      out.append(']');
    } else {
      out.append(value); // ints of any size print as Java does
    }
  }

  /** Python's repr of a str: single quotes unless the text has one and no double quote. */
  private static void string(String s, StringBuilder out) {
    char quote = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
    out.append(quote);
    for (int i = 0; i < s.length(); ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      if (c == quote || c == '\\') {
        out.append('\\').appendCodePoint(c);
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", c));
      } else if (!printable(c)) {
        out.append(c <= 0xff ? String.format("\\x%02x", c) : c <= 0xffff ? String.format("\\u%04x", c) : String.format("\\U%08x", c));
      } else {
        out.appendCodePoint(c);
      }
    }
    out.append(quote);
  }

  /** Close to Python's str.isprintable: not a control, separator other than space, surrogate, private or unassigned. */
  private static boolean printable(int c) {
    if (c == ' ') {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
          Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> false;
      default -> true;
    };
  }
}
