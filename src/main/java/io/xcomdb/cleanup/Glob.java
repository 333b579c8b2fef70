package io.xcomdb.cleanup;

/**
 * A shell-style pattern over DAG ids and keys: {@code *} any run of characters, {@code ?} one character, everything
 * else literal (so {@code _} and {@code %}, common in DAG ids and keys, match only themselves).
 */
public record Glob(String pattern) {

  /** The escape character of the LIKE patterns made here; chosen because ids and keys rarely hold it. */
  public static final char ESCAPE = '!';

  public Glob {
    if (pattern == null || pattern.isEmpty()) {
      throw new IllegalArgumentException("a glob must not be empty");
    }
  }

  /** The equivalent SQL LIKE pattern, to be used with {@code ESCAPE '!'}. */
  public String toLike() {
    StringBuilder like = new StringBuilder(pattern.length() + 8);
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      switch (c) {
        case '*' -> like.append('%');
        case '?' -> like.append('_');
        case '%', '_', ESCAPE -> like.append(ESCAPE).append(c);
        default -> like.append(c);
      }
    }
    return like.toString();
  }

  /** Whether the pattern matches everything, so it needs no condition at all. */
  public boolean matchesAll() {
    return pattern.chars().allMatch(c -> c == '*');
  }

  @Override
  public String toString() {
    return pattern;
  }
}
