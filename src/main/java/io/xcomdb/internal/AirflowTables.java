package io.xcomdb.internal;

import io.xcomdb.schema.StorageShape;
import io.xcomdb.schema.generated.airflow2.Tables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The generated tables of one storage shape behind one set of names, so queries are written once. The generated
 * models are those of the newest release of each flavour; a shape names the columns its releases have, so older
 * releases never see a column they lack (3.3's {@code dag_result}). Not API.
 *
 * @param xcomColumns every column of {@code xcom} on this shape, in the table's order: what an archive copies
 * @param xcomDagResult {@code xcom.dag_result} where the shape has it (3.3)
 */
public record AirflowTables(
    StorageShape shape,
    Table<? extends Record> xcom,
    Field<Integer> xcomDagRunId,
    Field<String> xcomDagId,
    Field<String> xcomRunId,
    Field<String> xcomTaskId,
    Field<Integer> xcomMapIndex,
    Field<String> xcomKey,
    Field<Instant> xcomTimestamp,
    Field<?> xcomValue,
    Optional<Field<Boolean>> xcomDagResult,
    List<Field<?>> xcomColumns,
    Table<? extends Record> dagRun,
    Field<Integer> runPk,
    Field<String> runDagId,
    Field<String> runRunId,
    /* 2.x execution_date; 3.x COALESCE(logical_date, run_after), as Airflow orders and compares runs */
    Field<Instant> runDate,
    Table<? extends Record> taskInstance,
    Field<String> tiDagId,
    Field<String> tiRunId,
    Field<String> tiTaskId,
    Field<Integer> tiMapIndex,
    Field<String> tiState,
    Field<Integer> tiTryNumber,
    Table<? extends Record> taskMap,
    Field<String> tmDagId,
    Field<String> tmRunId,
    Field<String> tmTaskId,
    Field<Integer> tmMapIndex,
    Field<Integer> tmLength,
    Field<String> tmKeys) {

  public static AirflowTables of(StorageShape shape) {
    return switch (shape) {
      case XCOM_BINARY -> airflow2();
      case XCOM_JSON -> airflow3(shape, false);
      case XCOM_JSON_DAG_RESULT -> airflow3(shape, true);
      case XCOM_V1_V2 -> throw new IllegalArgumentException("xcomdb does not read " + shape.label() + " yet");
    };
  }

  private static AirflowTables airflow2() {
    var x = Tables.XCOM;
    var r = Tables.DAG_RUN;
    var t = Tables.TASK_INSTANCE;
    var m = Tables.TASK_MAP;
    return new AirflowTables(StorageShape.XCOM_BINARY, x, x.DAG_RUN_ID, x.DAG_ID, x.RUN_ID, x.TASK_ID, x.MAP_INDEX, x.KEY,
        x.TIMESTAMP, x.VALUE, Optional.empty(), List.of(x.fields()),
        r, r.ID, r.DAG_ID, r.RUN_ID, r.EXECUTION_DATE,
        t, t.DAG_ID, t.RUN_ID, t.TASK_ID, t.MAP_INDEX, t.STATE, t.TRY_NUMBER,
        m, m.DAG_ID, m.RUN_ID, m.TASK_ID, m.MAP_INDEX, m.LENGTH, m.KEYS);
  }

  private static AirflowTables airflow3(StorageShape shape, boolean dagResult) {
    var x = io.xcomdb.schema.generated.airflow3.Tables.XCOM;
    var r = io.xcomdb.schema.generated.airflow3.Tables.DAG_RUN;
    var t = io.xcomdb.schema.generated.airflow3.Tables.TASK_INSTANCE;
    var m = io.xcomdb.schema.generated.airflow3.Tables.TASK_MAP;
    List<Field<?>> columns = new ArrayList<>(List.of(x.fields()));
    if (!dagResult) {
      columns.remove(x.DAG_RESULT);
    }
    return new AirflowTables(shape, x, x.DAG_RUN_ID, x.DAG_ID, x.RUN_ID, x.TASK_ID, x.MAP_INDEX, x.KEY, x.TIMESTAMP, x.VALUE,
        dagResult ? Optional.of(x.DAG_RESULT) : Optional.empty(), List.copyOf(columns),
        r, r.ID, r.DAG_ID, r.RUN_ID, DSL.coalesce(r.LOGICAL_DATE, r.RUN_AFTER),
        t, t.DAG_ID, t.RUN_ID, t.TASK_ID, t.MAP_INDEX, t.STATE, t.TRY_NUMBER,
        m, m.DAG_ID, m.RUN_ID, m.TASK_ID, m.MAP_INDEX, m.LENGTH, m.KEYS);
  }
}
