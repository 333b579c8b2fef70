package io.xcomdb.cleanup;

import static org.jooq.impl.DSL.noCondition;

import io.xcomdb.XComDb;
import io.xcomdb.cleanup.internal.HashedKeys;
import io.xcomdb.cleanup.internal.ObjectStore;
import io.xcomdb.cleanup.internal.ObjectStores;
import io.xcomdb.schema.SchemaInfo;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Record1;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The object references stored values hold, read by streamed queries of candidate values only, and the sweep that
 * deletes the objects under a base URL that no row references any more.
 */
final class ObjectStorageSweep {

  private final XComDb db;
  private final SchemaInfo schema;
  private final BatchListener listener;

  ObjectStorageSweep(XComDb db, SchemaInfo schema, BatchListener listener) {
    this.db = db;
    this.schema = schema;
    this.listener = listener;
  }

  /** A table whose values may reference objects, with its primary key. */
  private record ValueSource(String name, Table<?> table, Field<?> value, boolean binary) {
    static ValueSource of(CleanupTarget t) {
      return new ValueSource(t.name(), t.table(), t.value(), t.binaryValue());
    }
  }

  /** References under the base among the rows {@code where} selects, read in one streamed query of candidates only. */
  long countReferences(DSLContext dsl, CleanupTarget target, Condition where, ObjectReferences refs) {
    long[] n = {0};
    forEachReference(dsl, ValueSource.of(target), where, refs, key -> n[0]++);
    return n[0];
  }

  /**
   * Streams the values {@code where} selects that pass the SQL filter, in a read-only transaction (PostgreSQL only
   * streams inside one), and hands each object key they reference to {@code sink}.
   */
  private void forEachReference(DSLContext dsl, ValueSource source, Condition where, ObjectReferences refs,
      java.util.function.Consumer<String> sink) {
    dsl.transaction(cfg -> {
      try (var values = cfg.dsl().select(source.value()).from(source.table())
          .where(where.and(refs.candidates(source.value(), source.binary())))
          .fetchSize(XComCleaner.ROWS_PER_FETCH).fetchLazy()) {
        for (Record1<?> r : values) {
          refs.key(r.value1()).ifPresent(sink);
        }
      }
    });
  }

  /**
   * Deletes the objects under {@code baseUrl} that no row references and that were last modified before
   * {@code olderThan}; with {@code dryRun} only counts them. Reads every reference of xcom, _xcom_archive and the
   * archive tables ({@code _airflow_deleted__xcom__…}) into a set of 64-bit hashes first ({@link #MAX_SWEEP_REFERENCES}
   * at most, about 21 bytes each), then walks the listing page by page, deleting in batches of up to 1000 keys: neither
   * the listing nor the rows are held whole. A failure is reported, not thrown.
   */
  SweepReport sweep(String baseUrl, Instant olderThan, ObjectStorageOptions storage, boolean dryRun) {
    ObjectReferences refs = new ObjectReferences(baseUrl, storage.allowPickle(), schema.dialect());
    HashedKeys referencedKeys = new HashedKeys(MAX_SWEEP_REFERENCES);
    long[] c = new long[7]; // listed, referenced, recent, unreferenced, deleted, missing, errorCount
    List<String> errors = new ArrayList<>();
    try {
      for (ValueSource source : referenceSources()) {
        forEachReference(db.dsl(), source, noCondition(), refs, key -> {
          if (!referencedKeys.add(key)) {
            throw new SweepLimitException();
          }
        });
      }
      try (ObjectStore store = ObjectStores.open(refs.base(), storage.endpoint(), storage.region(), storage.pathStyle())) {
        List<String> doomed = new ArrayList<>();
        Runnable flush = () -> {
          if (!dryRun && !doomed.isEmpty()) {
            ObjectStore.Deletion d = store.delete(List.copyOf(doomed));
            c[4] += d.deleted();
            c[5] += d.missing();
            c[6] += d.errors().size();
            d.errors().stream().limit(Math.max(0, ObjectPurge.MAX_ERRORS - errors.size())).forEach(errors::add);
            listener.objectsSwept(d.deleted(), d.missing(), d.errors().size());
          }
          doomed.clear();
        };
        store.list(o -> {
          c[0]++;
          if (referencedKeys.contains(o.key())) {
            c[1]++;
          } else if (!o.lastModified().isBefore(olderThan)) {
            c[2]++;
          } else {
            c[3]++;
            doomed.add(o.key());
            if (doomed.size() == ObjectStore.MAX_KEYS_PER_DELETE) {
              flush.run();
            }
          }
        });
        flush.run();
      }
    } catch (SweepLimitException e) {
      errors.add("more than " + MAX_SWEEP_REFERENCES + " object references in the database: the sweep holds at most that"
          + " many in memory, and deleted nothing");
      c[6]++;
    } catch (DataAccessException e) {
      errors.add("sweep failed reading references: " + XComCleaner.describe(e));
      c[6]++;
    } catch (RuntimeException e) { // the store's own failures (listing, credentials) end the sweep, reported
      errors.add("sweep of " + baseUrl + " failed: " + e.getMessage());
      c[6]++;
    }
    return new SweepReport(baseUrl, olderThan, dryRun, referencedKeys.size(), c[0], c[1], c[2], c[3], c[4], c[5], c[6],
        errors);
  }

  /** Most references a sweep holds: at 21 bytes each, about 210 MB. */
  static final long MAX_SWEEP_REFERENCES = 10_000_000;

  private static final class SweepLimitException extends RuntimeException {
    SweepLimitException() {
      super(null, null, false, false);
    }
  }

  /** xcom, _xcom_archive where it exists, and every archive table of either (xcomdb's or airflow db clean's). */
  private List<ValueSource> referenceSources() {
    List<ValueSource> sources = new ArrayList<>();
    RetentionPolicy all = RetentionPolicy.of(Expiry.forever());
    CleanupTarget.of(schema, all).forEach(t -> sources.add(ValueSource.of(t)));
    boolean postgres = schema.dialect().family() == SQLDialect.POSTGRES;
    List<String> archives = db.dsl().connectionResult(c -> {
      List<String> names = new ArrayList<>();
      try (ResultSet rs = c.getMetaData().getTables(postgres ? null : schema.schema(), postgres ? schema.schema() : null,
          "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          String name = rs.getString("TABLE_NAME");
          // the schema argument is a LIKE pattern: '_' matches any character
          boolean archive = name.startsWith(Archive.TABLE_PREFIX + "xcom__")
              || name.startsWith(Archive.TABLE_PREFIX + "_xcom_archive__");
          if (archive && schema.schema().equals(rs.getString(postgres ? "TABLE_SCHEM" : "TABLE_CAT"))) {
            names.add(name);
          }
        }
      }
      return names;
    });
    for (String name : archives) {
      boolean binary = name.startsWith(Archive.TABLE_PREFIX + "_xcom_archive__")
          || schema.flavour() == io.xcomdb.schema.Flavour.AIRFLOW_2;
      Table<?> table = DSL.table(DSL.name(schema.schema(), name));
      Name column = DSL.name(schema.schema(), name, "value");
      Field<?> value = binary ? DSL.field(column, byte[].class) : DSL.field(column, String.class);
      sources.add(new ValueSource(name, table, value, binary));
    }
    return sources;
  }
}
