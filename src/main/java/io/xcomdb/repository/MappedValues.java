package io.xcomdb.repository;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * The values of a mapped task, ordered by map index, read lazily like Airflow's {@code LazyXComSequence}: the size
 * comes from one count query, {@link #get} reads one row, iteration reads pages. Not thread-safe; not a snapshot:
 * it reads what is in the database when asked.
 */
public final class MappedValues extends AbstractList<XComEntry> implements RandomAccess {

  /** Rows per page: each page is one range read on the primary key, so pages cost the same wherever they start. */
  static final int PAGE = 2000;

  private final IntSupplier counter;
  private final IntFunction<List<XComEntry>> at;
  private final BiFunction<Integer, Integer, List<XComEntry>> pageAfter;
  private final int pageSize;
  private Integer size;

  /**
   * @param at the entry at an offset in map index order (an empty list past the end)
   * @param pageAfter up to {@code count} entries with map indexes above the given one (null: from the first)
   */
  MappedValues(IntSupplier counter, IntFunction<List<XComEntry>> at, BiFunction<Integer, Integer, List<XComEntry>> pageAfter,
      int pageSize) {
    this.counter = counter;
    this.pageSize = pageSize;
    this.at = at;
    this.pageAfter = pageAfter;
  }

  @Override
  public int size() {
    if (size == null) {
      size = counter.getAsInt();
    }
    return size;
  }

  @Override
  public XComEntry get(int index) {
    if (index < 0) {
      index += size(); // Python-style negative index, as Airflow's item route allows
    }
    List<XComEntry> one = index < 0 ? List.of() : at.apply(index);
    if (one.isEmpty()) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size() + " mapped values");
    }
    return one.get(0);
  }

  @Override
  public Iterator<XComEntry> iterator() {
    // keyset paging: each page starts after the last map index seen, so no page re-reads the rows before it
    return new Iterator<>() {
      private List<XComEntry> page = new ArrayList<>();
      private Integer last;
      private int inPage;
      private boolean exhausted;

      @Override
      public boolean hasNext() {
        if (inPage < page.size()) {
          return true;
        }
        if (exhausted) {
          return false;
        }
        page = pageAfter.apply(last, pageSize);
        inPage = 0;
        exhausted = page.size() < pageSize;
        if (!page.isEmpty()) {
          last = page.get(page.size() - 1).mapIndex();
        }
        return !page.isEmpty();
      }

      @Override
      public XComEntry next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.get(inPage++);
      }
    };
  }
}
