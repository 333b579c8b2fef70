package io.xcomdb.repository;

import static org.jooq.impl.DSL.noCondition;

import com.fasterxml.jackson.core.type.TypeReference;
import io.xcomdb.XComDbException;
import io.xcomdb.codec.DecodeOptions;
import io.xcomdb.codec.Decoded;
import io.xcomdb.codec.XComCodec;
import io.xcomdb.codec.XComEncodingException;
import io.xcomdb.codec.internal.DeepStack;
import io.xcomdb.codec.internal.SerdeEncoder;
import io.xcomdb.internal.AirflowTables;
import io.xcomdb.internal.jooq.UtcInstantBinding;
import io.xcomdb.schema.Flavour;
import io.xcomdb.schema.SchemaInfo;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.ResultQuery;
import org.jooq.SQLDialect;
import org.jooq.SelectJoinStep;
import org.jooq.SortField;
import org.jooq.impl.DSL;

/**
 * Reads and writes {@code xcom} rows with Airflow's semantics, on whichever flavour and dialect was detected.
 * Values travel as {@link StoredValue}s, exactly as stored; the codec turns them into Java values.
 */
public final class XComRepository {

  private final DSLContext dsl;
  private final SchemaInfo schema;
  private final AirflowTables t;
  private volatile Long maxPacket;
  private DecodeOptions decodeOptions = DecodeOptions.defaults();

  public XComRepository(DSLContext dsl, SchemaInfo schema) {
    this.dsl = dsl;
    this.schema = schema;
    this.t = AirflowTables.of(schema.shape());
  }

  /**
   * Entries with metadata and sizes but no values; newest run first. Only listings read {@code task_instance}: each
   * entry carries the task instance's state and try number.
   */
  public List<XComEntry> list(XComQuery query) {
    return select(query, false, false, 0, null);
  }

  /**
   * Entries with their stored values, as Airflow's {@code xcom_pull} and {@code XCom.get_many} find them: newest run
   * first, then newest timestamp; with task ids given, in their order. A query without a key reads
   * {@value XComQuery#RETURN_VALUE}, as {@code xcom_pull} does; {@link XComQuery#withAnyKey()} reads every key. Like {@code get_many} this reads {@code xcom} and {@code dag_run}
   * only, so {@link XComEntry#taskState()} and {@link XComEntry#tryNumber()} are empty unless the query asks for them
   * ({@link XComQuery#withTaskState()}); {@link #list} always has them.
   */
  public List<XComEntry> pull(XComQuery query) {
    return select(query.forPull(), true, false, 0, null);
  }

  /**
   * The decoded value of the first entry {@link #pull} would return, converted to {@code type} the way Jackson
   * converts (numbers widen, dicts become records or beans). Empty when there is none; an undecodable value is an
   * error naming the row and the reason.
   */
  public <T> Optional<T> pullValue(XComQuery query, Class<T> type) {
    return pullDecoded(query).map(d -> d.as(type));
  }

  /** Like {@link #pullValue(XComQuery, Class)} for generic types such as {@code List<Map<String, Object>>}. */
  public <T> Optional<T> pullValue(XComQuery query, TypeReference<T> type) {
    return pullDecoded(query).map(d -> d.as(type));
  }

  private Optional<Decoded> pullDecoded(XComQuery query) {
    Optional<XComEntry> entry = pullOne(query);
    if (entry.isEmpty()) {
      return Optional.empty();
    }
    Decoded decoded = entry.get().decoded(decodeOptions);
    if (decoded.isUndecodable()) {
      throw new XComDbException("The XCom " + entry.get().describe() + " cannot be decoded ("
          + decoded.form() + "): " + decoded.undecodable().get().reason());
    }
    return Optional.of(decoded);
  }

  /** Options used by {@link #pullValue}; default: {@link DecodeOptions#defaults()} (pickles stay undecoded). */
  public XComRepository withDecodeOptions(DecodeOptions options) {
    XComRepository copy = new XComRepository(dsl, schema);
    copy.decodeOptions = options;
    return copy;
  }

  /** The date Airflow orders a run by (2.x execution_date, 3.x logical_date or run_after); empty when no such run. */
  public Optional<Instant> runDate(String dagId, String runId) {
    return dsl.select(t.runDate()).from(t.dagRun()).where(t.runDagId().eq(dagId), t.runRunId().eq(runId))
        .fetchOptional(r -> r.value1());
  }

  /** The first entry {@link #pull} would return (one row read when at most one task id is given). */
  public Optional<XComEntry> pullOne(XComQuery query) {
    boolean oneRow = query.limit().isEmpty() && query.taskIds().size() <= 1; // task order is applied after the read
    List<XComEntry> entries = pull(oneRow ? query.withLimit(1) : query);
    return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(0));
  }

  /**
   * The values a mapped task pushed under {@code key} in one run, ordered by map index and read on demand; map index
   * -1 (the unmapped row) is not part of it.
   */
  public MappedValues mapped(String dagId, String runId, String taskId, String key) {
    return mapped(dagId, runId, taskId, key, MappedValues.PAGE);
  }

  MappedValues mapped(String dagId, String runId, String taskId, String key, int pageSize) {
    XComQuery query = XComQuery.forRun(dagId, runId).withTaskIds(taskId).withKey(key);
    Condition where = conditions(query).and(t.xcomMapIndex().ge(0));
    return new MappedValues(
        () -> dsl.fetchCount(t.xcom(), where),
        offset -> select(query.withLimit(1), true, true, offset, null),
        (after, count) -> select(query.withLimit(count), true, true, 0, after),
        pageSize);
  }

  /** A run named by dag and run id: its primary key and the date Airflow orders it by. */
  private record Run(int pk, Instant date) {}

  /**
   * One read. With dag and run id given (and no prior dates) the run is looked up first and the rows are found by
   * {@code xcom.dag_run_id}, the primary key's prefix: all of them share that run's date, so neither the join nor the
   * date sort is needed. Values-only reads skip {@code task_instance}. Without a limit the rows arrive unsorted and
   * are sorted here with the same order the server applies when there is one: a sort of every value on the server
   * spills to disk and costs more than the read.
   *
   * @param byMapIndex order by map index, only indexes {@code >= 0}: above {@code afterMapIndex} when given
   */
  private List<XComEntry> select(XComQuery query, boolean withValues, boolean byMapIndex, int offset,
      Integer afterMapIndex) {
    Run run = null;
    if (query.dagId().isPresent() && query.runId().isPresent() && !query.includePriorDates()) {
      Optional<Run> found = dsl.select(t.runPk(), t.runDate()).from(t.dagRun())
          .where(t.runDagId().eq(query.dagId().get()), t.runRunId().eq(query.runId().get()))
          .fetchOptional(r -> new Run(r.value1(), r.value2()));
      if (found.isEmpty()) {
        return new ArrayList<>(); // Airflow's join with dag_run finds nothing either
      }
      run = found.get();
    }
    boolean metadata = !withValues || query.taskState();
    // positions are fixed: read(...) reads by index
    List<Field<?>> fields = new ArrayList<>(List.of(t.xcomDagId(), t.xcomRunId(), t.xcomTaskId(), t.xcomMapIndex(),
        t.xcomKey(), t.xcomTimestamp(), withValues ? t.xcomValue() : storedSize()));
    if (run == null) {
      fields.add(t.runDate());
    }
    if (metadata) {
      fields.add(t.tiState());
      fields.add(t.tiTryNumber());
    }
    SelectJoinStep<Record> from = dsl.select(fields).from(t.xcom());
    if (run == null) {
      from = from.join(t.dagRun()).on(t.xcomDagRunId().eq(t.runPk()));
    }
    if (metadata) {
      from = from.leftJoin(t.taskInstance()).on(t.tiDagId().eq(t.xcomDagId()), t.tiRunId().eq(t.xcomRunId()),
          t.tiTaskId().eq(t.xcomTaskId()), t.tiMapIndex().eq(t.xcomMapIndex()));
    }
    Condition where = conditions(query);
    if (run != null) {
      where = where.and(t.xcomDagRunId().eq(run.pk()));
    }
    if (byMapIndex) {
      where = where.and(t.xcomMapIndex().ge(afterMapIndex == null ? 0 : afterMapIndex + 1));
    }
    boolean sortHere = !byMapIndex && query.limit().isEmpty();
    var filtered = from.where(where);
    var ordered = byMapIndex ? filtered.orderBy(t.xcomMapIndex())
        : sortHere ? filtered.orderBy(List.of()) : filtered.orderBy(airflowOrder(run == null));
    ResultQuery<Record> select = query.limit().isPresent()
        ? ordered.limit(query.limit().get()).offset(offset)
        : ordered;
    List<XComEntry> entries = read(select, run, withValues, metadata);
    if (sortHere) {
      entries.sort(AIRFLOW_ORDER);
    }
    if (query.taskIds().size() > 1) {
      List<String> order = query.taskIds();
      entries.sort(Comparator.comparingInt(e -> order.indexOf(e.taskId()))); // stable: keeps Airflow's order within a task
    }
    return entries;
  }

  /**
   * Airflow's order, newest run then newest timestamp, and for ties (rows pushed together share a timestamp) dag,
   * task, map index, key and run in code point order: the same on every server and in {@link #AIRFLOW_ORDER}.
   */
  private List<SortField<?>> airflowOrder(boolean withRunDate) {
    List<SortField<?>> order = new ArrayList<>();
    if (withRunDate) {
      order.add(t.runDate().desc().nullsFirst());
    }
    order.add(t.xcomTimestamp().desc());
    order.add(codePoints(t.xcomDagId()).asc());
    order.add(codePoints(t.xcomTaskId()).asc());
    order.add(t.xcomMapIndex().asc());
    order.add(codePoints(t.xcomKey()).asc());
    order.add(codePoints(t.xcomRunId()).asc());
    return order;
  }

  /** The column compared by code point: PostgreSQL's "C" collation, the MySQL family's UTF-8 bytes. */
  private Field<?> codePoints(Field<String> column) {
    return schema.dialect().family() == SQLDialect.POSTGRES
        ? column.collate(DSL.collation(DSL.quotedName("C")))
        : DSL.field("cast({0} as binary)", Object.class, column);
  }

  private static final Comparator<String> CODE_POINT_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Boolean.compare(i < a.length(), j < b.length());
  };

  private static final Comparator<XComEntry> AIRFLOW_ORDER =
      Comparator.comparing(XComEntry::runDate, Comparator.nullsFirst(Comparator.<Instant>reverseOrder()))
          .thenComparing(XComEntry::timestamp, Comparator.reverseOrder())
          .thenComparing(XComEntry::dagId, CODE_POINT_ORDER)
          .thenComparing(XComEntry::taskId, CODE_POINT_ORDER)
          .thenComparingInt(XComEntry::mapIndex)
          .thenComparing(XComEntry::key, CODE_POINT_ORDER)
          .thenComparing(XComEntry::runId, CODE_POINT_ORDER);

  /**
   * Runs the jOOQ-rendered select over plain JDBC and reads columns by position: no jOOQ records, and on PostgreSQL
   * JSONB text is taken as bytes and decoded by the JDK, cheaper than the driver's string path.
   */
  private List<XComEntry> read(ResultQuery<Record> select, Run run, boolean withValues, boolean metadata) {
    String sql = select.getSQL();
    List<Object> binds = select.getBindValues();
    SQLDialect dialect = schema.dialect();
    boolean postgres = dialect.family() == SQLDialect.POSTGRES;
    boolean airflow2 = schema.flavour() == Flavour.AIRFLOW_2;
    return dsl.connectionResult(connection -> {
      List<XComEntry> entries = new ArrayList<>();
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (int i = 0; i < binds.size(); i++) {
          statement.setObject(i + 1, binds.get(i));
        }
        try (ResultSet rs = statement.executeQuery()) {
          while (rs.next()) {
            Optional<StoredValue> value = Optional.empty();
            long bytes;
            if (withValues) {
              StoredValue stored;
              if (airflow2) {
                stored = StoredValue.wrapAirflow2(rs.getBytes(7));
              } else if (postgres) {
                byte[] text = rs.getBytes(7);
                stored = StoredValue.airflow3(text == null ? null : new String(text, StandardCharsets.UTF_8));
              } else {
                stored = StoredValue.airflow3(rs.getString(7));
              }
              value = Optional.of(stored);
              bytes = stored.size();
            } else {
              bytes = rs.getLong(7); // 0 for SQL NULL
            }
            int next = 8;
            Instant runDate = run != null ? run.date() : UtcInstantBinding.read(rs, next++, dialect);
            Optional<String> state = Optional.empty();
            Optional<Integer> tryNumber = Optional.empty();
            if (metadata) {
              state = Optional.ofNullable(rs.getString(next++));
              int n = rs.getInt(next);
              tryNumber = rs.wasNull() ? Optional.empty() : Optional.of(n);
            }
            entries.add(new XComEntry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                UtcInstantBinding.read(rs, 6, dialect), runDate, state, tryNumber, bytes, value));
          }
        }
      }
      return entries;
    });
  }

  private Condition conditions(XComQuery q) {
    Condition c = noCondition();
    if (q.key().isPresent() && !q.key().get().isEmpty()) {
      c = c.and(t.xcomKey().eq(q.key().get()));
    }
    if (!q.taskIds().isEmpty()) {
      c = c.and(q.taskIds().size() == 1 ? t.xcomTaskId().eq(q.taskIds().get(0)) : t.xcomTaskId().in(q.taskIds()));
    }
    if (q.dagId().isPresent()) {
      c = c.and(t.xcomDagId().eq(q.dagId().get()));
    }
    if (!q.mapIndexes().isEmpty()) {
      c = c.and(q.mapIndexes().size() == 1 ? t.xcomMapIndex().eq(q.mapIndexes().get(0)) : t.xcomMapIndex().in(q.mapIndexes()));
    }
    if (q.runId().isPresent()) {
      if (q.includePriorDates()) {
        // Airflow compares with the date of the run named by run_id; the DAG is added here because run ids such as
        // scheduled__<date> repeat across DAGs, where Airflow's subquery would return several rows.
        var runDate = dsl.select(t.runDate()).from(t.dagRun()).where(t.runRunId().eq(q.runId().get()))
            .and(q.dagId().map(t.runDagId()::eq).orElse(noCondition())).limit(1);
        c = c.and(t.runDate().le(runDate.asField()));
      } else {
        c = c.and(t.xcomRunId().eq(q.runId().get()));
      }
    } else if (q.includePriorDates()) {
      throw new IllegalArgumentException("include prior dates needs a run id to compare with");
    }
    return c;
  }

  private Field<Long> storedSize() {
    boolean postgres = schema.dialect().family() == SQLDialect.POSTGRES;
    if (postgres) {
      return schema.flavour() == Flavour.AIRFLOW_2
          ? DSL.field("octet_length({0})", Long.class, t.xcomValue())
          : DSL.field("octet_length({0}::text)", Long.class, t.xcomValue());
    }
    return DSL.field("length({0})", Long.class, t.xcomValue());
  }

  /**
   * Writes one XCom in one statement: resolves {@code dag_run_id} from the run, checks the task instance exists, and
   * inserts or replaces the row on its primary key ({@code ON CONFLICT} / {@code ON DUPLICATE KEY}), where Airflow
   * deletes and inserts. The timestamp is now, UTC, in microseconds.
   */
  public void push(String dagId, String runId, String taskId, int mapIndex, String key, StoredValue value) {
    pushAll(List.of(new XComWrite(dagId, runId, taskId, mapIndex, key, value)));
  }

  /**
   * Encodes a Java value exactly as Airflow would for this schema (2.x JSON bytes, 3.x native JSON) and pushes it.
   * Values Airflow cannot store are refused with Airflow's own error.
   */
  public void pushValue(String dagId, String runId, String taskId, int mapIndex, String key, Object value) {
    push(dagId, runId, taskId, mapIndex, key, encode(value));
  }

  /**
   * A task with {@code multiple_outputs}: each entry under its own key, then the whole map as {@code return_value},
   * in one transaction.
   */
  public void pushMultipleOutputs(String dagId, String runId, String taskId, int mapIndex, Map<String, ?> outputs) {
    List<XComWrite> writes = new ArrayList<>();
    outputs.forEach((k, v) -> writes.add(new XComWrite(dagId, runId, taskId, mapIndex, k, encode(v))));
    writes.add(new XComWrite(dagId, runId, taskId, mapIndex, XComQuery.RETURN_VALUE, encode(outputs)));
    pushAll(writes);
  }

  /** Airflow's default {@code [core] max_map_length}. */
  public static final int DEFAULT_MAX_MAP_LENGTH = 1024;

  /**
   * Pushes the return value of a task whose output feeds a mapped task, as Airflow does for such an upstream: the
   * value, and a {@code task_map} row with its length (and the keys of a dict) so the scheduler can expand the
   * downstream task; both in one transaction. Like Airflow, refuses values that are not a list or dict, and more
   * than {@code maxMapLength} items ({@code [core] max_map_length}).
   */
  public void pushReturnValueForMapping(String dagId, String runId, String taskId, int mapIndex, Object value,
      int maxMapLength) {
    int length;
    String keys = null;
    if (value instanceof Map<?, ?> map) {
      length = map.size();
      try {
        keys = KEYS_JSON.writeValueAsString(map.keySet());
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new XComDbException("Cannot write the keys of the value: " + e.getMessage(), e);
      }
    } else if (value instanceof java.util.Collection<?> items) {
      length = items.size();
    } else if (value instanceof io.xcomdb.codec.PyTuple tuple) {
      length = tuple.size();
    } else {
      throw new XComDbException("UnmappableXComTypePushed: a task feeding a mapped task must return a list or a dict, "
          + "not " + (value == null ? "None" : value.getClass().getSimpleName()) + ".");
    }
    if (length > maxMapLength) {
      throw new XComDbException("UnmappableXComLengthPushed: the value has " + length + " items, more than "
          + "max_map_length " + maxMapLength + " ([core] max_map_length).");
    }
    StoredValue stored = encode(value);
    String mapKeys = keys;
    int mapLength = length;
    dsl.transaction(tx -> {
      XComRepository inTx = new XComRepository(tx.dsl(), schema);
      inTx.pushAll(List.of(new XComWrite(dagId, runId, taskId, mapIndex, XComQuery.RETURN_VALUE, stored)));
      boolean postgres = schema.dialect().family() == SQLDialect.POSTGRES;
      DSLContext ctx = postgres ? tx.dsl() : tx.dsl().configuration().derive(SQLDialect.MARIADB).dsl();
      ctx.insertInto(t.taskMap(), t.tmDagId(), t.tmTaskId(), t.tmRunId(), t.tmMapIndex(), t.tmLength(), t.tmKeys())
          .values(dagId, taskId, runId, mapIndex, mapLength, mapKeys)
          .onConflict(t.tmDagId(), t.tmTaskId(), t.tmRunId(), t.tmMapIndex())
          .doUpdate()
          .set(Map.of(t.tmLength(), DSL.excluded(t.tmLength()), t.tmKeys(), DSL.excluded(t.tmKeys())))
          .execute();
    });
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper KEYS_JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** The stored form of {@code value} for this schema's flavour. */
  public StoredValue encode(Object value) {
    try {
      if (schema.flavour() == Flavour.AIRFLOW_2) {
        return StoredValue.airflow2(XComCodec.encodeAirflow2(value));
      }
      // 3.0's serde writes a few values differently from 3.1's; unknown 3.x heads get the newest rules
      boolean airflow30 = schema.release().map(r -> r.versions().startsWith("3.0")).orElse(false);
      SerdeEncoder encoder = new SerdeEncoder(airflow30 ? SerdeEncoder.Rules.AIRFLOW_3_0 : SerdeEncoder.Rules.AIRFLOW_3_1,
          DecodeOptions.defaults().naiveTimeZone());
      // Airflow 3.0 would send a huge int and MySQL would silently keep a double: refuse rather than lose digits
      SerdeEncoder target = schema.dialect() == SQLDialect.MYSQL ? encoder.forMysqlJson() : encoder;
      String json = DeepStack.run(() -> target.encode(value));
      return StoredValue.airflow3(json);
    } catch (XComEncodingException e) {
      throw new XComDbException(schema.airflowLabel() + " cannot store this value: " + e.getMessage(), e);
    }
  }

  /**
   * Pushes many values as one JDBC batch in one transaction, each as the upsert {@link #push} describes. If any
   * write names a missing run or task instance, nothing is written and the error names that write.
   */
  public void pushAll(List<XComWrite> writes) {
    if (writes.isEmpty()) {
      return;
    }
    for (XComWrite w : writes) {
      validate(w);
    }
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    try {
      write(writes, now);
    } catch (org.jooq.exception.DataException | org.jooq.exception.IntegrityConstraintViolationException e) {
      String what = writes.size() == 1 ? "the XCom " + writes.get(0).key() : "one of " + writes.size() + " XComs";
      throw new XComDbException("The database refused to store " + what + ", so nothing was written: "
          + firstLine(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no reason given";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  /**
   * In one transaction: resolve every run's dag_run_id (one query), prove every task instance exists (one query), then
   * upsert in multi-row statements of up to {@value #ROWS_PER_STATEMENT} rows on the primary key.
   */
  private void write(List<XComWrite> writes, Instant now) {
    // the last write of a key wins, as if pushed one after another (one statement may not touch a row twice)
    Map<List<Object>, XComWrite> unique = new LinkedHashMap<>();
    for (XComWrite w : writes) {
      unique.remove(List.of(w.dagId(), w.runId(), w.taskId(), w.mapIndex(), w.key()));
      unique.put(List.of(w.dagId(), w.runId(), w.taskId(), w.mapIndex(), w.key()), w);
    }
    List<XComWrite> rows = new ArrayList<>(unique.values());
    dsl.transaction(tx -> {
      DSLContext inTx = tx.dsl();
      Map<List<String>, Integer> runIds = new HashMap<>();
      Set<List<Object>> taskInstances = new HashSet<>();
      // grouped lookups that use the unique indexes' prefixes: (dag_id, run_id) and (dag_id, task_id, run_id, map_index)
      Map<String, Set<String>> runsByDag = new LinkedHashMap<>();
      Map<List<String>, Set<Integer>> mapIndexesByTask = new LinkedHashMap<>();
      for (XComWrite w : rows) {
        runsByDag.computeIfAbsent(w.dagId(), k -> new LinkedHashSet<>()).add(w.runId());
        mapIndexesByTask.computeIfAbsent(List.of(w.dagId(), w.runId(), w.taskId()), k -> new LinkedHashSet<>()).add(w.mapIndex());
      }
      runsByDag.forEach((dagId, runs) -> partition(runs, VALUES_PER_IN_LIST).forEach(part -> inTx.select(t.runPk(), t.runRunId()).from(t.dagRun())
          .where(t.runDagId().eq(dagId), t.runRunId().in(part))
          .forEach(r -> runIds.put(List.of(dagId, r.value2()), r.value1()))));
      mapIndexesByTask.forEach((task, indexes) -> partition(indexes, VALUES_PER_IN_LIST).forEach(part -> inTx.select(t.tiMapIndex())
          .from(t.taskInstance())
          .where(t.tiDagId().eq(task.get(0)), t.tiRunId().eq(task.get(1)), t.tiTaskId().eq(task.get(2)), t.tiMapIndex().in(part))
          .forEach(r -> taskInstances.add(List.of(task.get(0), task.get(1), task.get(2), r.value1())))));
      for (XComWrite w : rows) {
        if (!runIds.containsKey(List.of(w.dagId(), w.runId()))) {
          throw new NoSuchDagRunException(w.dagId(), w.runId());
        }
        if (!taskInstances.contains(List.of(w.dagId(), w.runId(), w.taskId(), w.mapIndex()))) {
          throw new NoSuchTaskInstanceException(w.dagId(), w.runId(), w.taskId(), w.mapIndex());
        }
      }
      for (List<XComWrite> chunk : partition(rows, ROWS_PER_STATEMENT)) {
        upsert(inTx, chunk, runIds, now);
      }
    });
  }

  /** Rows per upsert statement: 8 bind values each, well under any server's parameter limit. */
  private static final int ROWS_PER_STATEMENT = 500;
  /** Values per IN list: bind parameters per statement are limited (PostgreSQL: 32767). */
  private static final int VALUES_PER_IN_LIST = 1000;

  private static <T> List<List<T>> partition(java.util.Collection<T> values, int size) {
    List<T> all = new ArrayList<>(values);
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < all.size(); i += size) {
      out.add(all.subList(i, Math.min(all.size(), i + size)));
    }
    return out;
  }

  private void validate(XComWrite w) {
    StoredValue value = w.value();
    if (value.flavour() != schema.flavour()) {
      throw new XComDbException("The value is stored as " + value.flavour() + " but the database is " + schema.airflowLabel()
          + " (" + schema.flavour() + ").");
    }
    if (w.key() == null || w.key().isEmpty()) {
      throw new XComDbException("An XCom key must not be empty.");
    }
    checkSize(value);
  }

  private Object storedObject(StoredValue value) {
    return schema.flavour() == Flavour.AIRFLOW_2 ? value.rawBytes() : value.json();
  }

  /** One multi-row INSERT ... ON CONFLICT DO UPDATE / ON DUPLICATE KEY UPDATE of value and timestamp. */
  @SuppressWarnings("unchecked")
  private void upsert(DSLContext inTx, List<XComWrite> chunk, Map<List<String>, Integer> runIds, Instant now) {
    boolean postgres = schema.dialect().family() == SQLDialect.POSTGRES;
    // jOOQ's MYSQL dialect writes "VALUES ... AS excluded ON DUPLICATE KEY UPDATE", a MySQL 8.0.19+ syntax; Airflow
    // runs on any MySQL 8.0, so the MySQL family renders this statement the MariaDB way: col = VALUES(col).
    DSLContext ctx = postgres ? inTx : inTx.configuration().derive(SQLDialect.MARIADB).dsl();
    Field<Object> valueColumn = (Field<Object>) t.xcomValue();
    List<Field<?>> columns = new ArrayList<>(List.of(t.xcomDagRunId(), t.xcomTaskId(), t.xcomMapIndex(), t.xcomKey(),
        t.xcomDagId(), t.xcomRunId(), valueColumn, t.xcomTimestamp()));
    Map<Field<?>, Object> onConflict = new LinkedHashMap<>();
    onConflict.put(valueColumn, DSL.excluded(valueColumn));
    onConflict.put(t.xcomTimestamp(), DSL.excluded(t.xcomTimestamp()));
    // 3.3's XCom.set deletes and inserts a row whose dag_result is its model's default, FALSE: a push does the same
    t.xcomDagResult().ifPresent(dagResult -> {
      columns.add(dagResult);
      onConflict.put(dagResult, DSL.excluded(dagResult));
    });
    boolean dagResult = t.xcomDagResult().isPresent();
    var values = ctx.insertInto(t.xcom()).columns(columns);
    for (XComWrite w : chunk) {
      List<Object> row = new ArrayList<>(List.of(runIds.get(List.of(w.dagId(), w.runId())), w.taskId(), w.mapIndex(), w.key(),
          w.dagId(), w.runId()));
      row.add(storedObject(w.value()));
      row.add(now);
      if (dagResult) {
        row.add(Boolean.FALSE);
      }
      values = values.values(row);
    }
    values.onConflict(t.xcomDagRunId(), t.xcomTaskId(), t.xcomMapIndex(), t.xcomKey())
        .doUpdate()
        .set(onConflict)
        .execute();
  }

  /** The most a MySQL BLOB holds. */
  private static final long MYSQL_BLOB_BYTES = 65_535;

  private void checkSize(StoredValue value) {
    long size = value.size();
    if (schema.dialect().family() == SQLDialect.POSTGRES) {
      long limit = schema.flavour() == Flavour.AIRFLOW_2 ? (1L << 30) - 1 : (1L << 28) - 1; // bytea 1 GB; jsonb 256 MB
      if (size > limit) {
        throw new ValueTooLargeException(size, limit, "a PostgreSQL " + (schema.flavour() == Flavour.AIRFLOW_2 ? "bytea" : "jsonb") + " value");
      }
      return;
    }
    if (schema.valueColumnType().equals("blob")) {
      // Airflow 2.7-2.8 on MySQL: MySQL would cut a longer value off (or refuse it) only once it is sent
      if (size > MYSQL_BLOB_BYTES) {
        throw new ValueTooLargeException(size, MYSQL_BLOB_BYTES, schema.airflowLabel() + "'s MySQL xcom.value column (a BLOB; "
            + "2.9 made it LONGBLOB)");
      }
    }
    long packet = maxAllowedPacket();
    long limit = packet - 1024; // room for the statement around the value
    if (size > limit) {
      throw new ValueTooLargeException(size, limit, "the server's max_allowed_packet (" + packet + ")");
    }
  }

  private long maxAllowedPacket() {
    Long cached = maxPacket;
    if (cached == null) {
      cached = dsl.fetchValue(DSL.field("@@max_allowed_packet", Long.class));
      maxPacket = cached;
    }
    return cached;
  }

  /** Deletes one XCom; returns whether it existed. */
  public boolean delete(String dagId, String runId, String taskId, int mapIndex, String key) {
    return dsl.deleteFrom(t.xcom())
        .where(t.xcomDagId().eq(dagId), t.xcomRunId().eq(runId), t.xcomTaskId().eq(taskId),
            t.xcomMapIndex().eq(mapIndex), t.xcomKey().eq(key))
        .execute() > 0;
  }

  /**
   * Deletes every key of a task in a run, like Airflow's {@code XCom.clear}: all map indexes when {@code mapIndex} is
   * empty. Returns the number of rows deleted.
   */
  public int clear(String dagId, String runId, String taskId, Optional<Integer> mapIndex) {
    return dsl.deleteFrom(t.xcom())
        .where(t.xcomDagId().eq(dagId), t.xcomRunId().eq(runId), t.xcomTaskId().eq(taskId),
            mapIndex.map(t.xcomMapIndex()::eq).orElse(noCondition()))
        .execute();
  }
}
