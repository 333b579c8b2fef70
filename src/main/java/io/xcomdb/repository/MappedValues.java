package io.xcomdb.repository;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.RandomAccess;
import java.util.function.BiFunction;
import java.util.function.IntSupplier;

/**
 * The values of a mapped task, ordered by map index, read lazily like Airflow's {@code LazyXComSequence}: the size
 * comes from one count query, {@link #get} reads one row, iteration reads pages. Not thread-safe; not a snapshot:
 * it reads what is in the database when asked.
 */
public final class MappedValues extends AbstractList<XComEntry> implements RandomAccess {

  private static final int PAGE = 256;

  private final IntSupplier counter;
  private final BiFunction<Integer, Integer, List<XComEntry>> pager;
  private Integer size;

  MappedValues(IntSupplier counter, BiFunction<Integer, Integer, List<XComEntry>> pager) {
    this.counter = counter;
    this.pager = pager;
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
    List<XComEntry> one = pager.apply(index, 1);
    if (index < 0 || one.isEmpty()) {
      throw new IndexOutOfBoundsException("index " + index + " of " + size() + " mapped values");
    }
    return one.get(0);
  }

  @Override
  public Iterator<XComEntry> iterator() {
    return new Iterator<>() {
      private List<XComEntry> page = new ArrayList<>();
      private int offset;
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
        page = pager.apply(offset, PAGE);
        offset += page.size();
        inPage = 0;
        exhausted = page.size() < PAGE;
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
