package io.xcomdb.cleanup.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A set of object keys held as 64-bit hashes (open addressing, at most 8 bytes / 0.375 = 21 bytes per key), so the sweep can hold
 * every reference of a large database. A collision can only make an unreferenced object look referenced, which
 * keeps it: the safe side. Not thread-safe. Not API.
 */
public final class HashedKeys {

  private final long limit;
  private final MessageDigest sha;
  private long[] slots = new long[1 << 16];
  private boolean hasZero;
  private long size;

  /** @param limit the most keys it takes before {@link #add} refuses (bounds the memory) */
  public HashedKeys(long limit) {
    this.limit = limit;
    try {
      this.sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e); // every JDK has it
    }
  }

  /** Adds {@code key}; false when the set is full (it holds {@code limit} keys). */
  public boolean add(String key) {
    long h = hash(key);
    if (h == 0) {
      if (!hasZero) {
        if (size >= limit) {
          return false;
        }
        hasZero = true;
        size++;
      }
      return true;
    }
    int mask = slots.length - 1;
    for (int i = (int) mix(h) & mask; ; i = (i + 1) & mask) {
      if (slots[i] == h) {
        return true;
      }
      if (slots[i] == 0) {
        if (size >= limit) {
          return false;
        }
        slots[i] = h;
        size++;
        if (size * 4 > slots.length * 3L) {
          grow();
        }
        return true;
      }
    }
  }

  public boolean contains(String key) {
    long h = hash(key);
    if (h == 0) {
      return hasZero;
    }
    int mask = slots.length - 1;
    for (int i = (int) mix(h) & mask; ; i = (i + 1) & mask) {
      if (slots[i] == h) {
        return true;
      }
      if (slots[i] == 0) {
        return false;
      }
    }
  }

  public long size() {
    return size;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    int mask = slots.length - 1;
    for (long h : old) {
      if (h != 0) {
        int i = (int) mix(h) & mask;
        while (slots[i] != 0) {
          i = (i + 1) & mask;
        }
        slots[i] = h;
      }
    }
  }

  private static long mix(long h) {
    return h ^ (h >>> 32);
  }

  /** The first 8 bytes of SHA-256: spread well whatever the keys share. */
  private long hash(String key) {
    byte[] d = sha.digest(key.getBytes(StandardCharsets.UTF_8));
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (d[i] & 0xff);
    }
    return h;
  }
}
