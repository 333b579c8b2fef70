package io.xcomdb.internal;

import io.xcomdb.schema.Flavour;
import io.xcomdb.schema.generated.airflow2.Tables;
import java.time.Instant;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The generated tables of one schema flavour behind one set of names, so queries are written once. Both generated
 * models name their columns alike; what differs is the value column's type and the run's date column. Not API.
 */
public record AirflowTables(
    Table<? extends Record> xcom,
    Field<Integer> xcomDagRunId,
    Field<String> xcomDagId,
    Field<String> xcomRunId,
    Field<String> xcomTaskId,
    Field<Integer> xcomMapIndex,
    Field<String> xcomKey,
    Field<Instant> xcomTimestamp,
    Field<?> xcomValue,
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

  public static AirflowTables of(Flavour flavour) {
    return flavour == Flavour.AIRFLOW_2 ? airflow2() : airflow3();
  }

  private static AirflowTables airflow2() {
    var x = Tables.XCOM;
    var r = Tables.DAG_RUN;
    var t = Tables.TASK_INSTANCE;
    var m = Tables.TASK_MAP;
    return new AirflowTables(x, x.DAG_RUN_ID, x.DAG_ID, x.RUN_ID, x.TASK_ID, x.MAP_INDEX, x.KEY, x.TIMESTAMP, x.VALUE,
        r, r.ID, r.DAG_ID, r.RUN_ID, r.EXECUTION_DATE,
        t, t.DAG_ID, t.RUN_ID, t.TASK_ID, t.MAP_INDEX, t.STATE, t.TRY_NUMBER,
        m, m.DAG_ID, m.RUN_ID, m.TASK_ID, m.MAP_INDEX, m.LENGTH, m.KEYS);
  }

  private static AirflowTables airflow3() {
    var x = io.xcomdb.schema.generated.airflow3.Tables.XCOM;
    var r = io.xcomdb.schema.generated.airflow3.Tables.DAG_RUN;
    var t = io.xcomdb.schema.generated.airflow3.Tables.TASK_INSTANCE;
    var m = io.xcomdb.schema.generated.airflow3.Tables.TASK_MAP;
    return new AirflowTables(x, x.DAG_RUN_ID, x.DAG_ID, x.RUN_ID, x.TASK_ID, x.MAP_INDEX, x.KEY, x.TIMESTAMP, x.VALUE,
        r, r.ID, r.DAG_ID, r.RUN_ID, DSL.coalesce(r.LOGICAL_DATE, r.RUN_AFTER),
        t, t.DAG_ID, t.RUN_ID, t.TASK_ID, t.MAP_INDEX, t.STATE, t.TRY_NUMBER,
        m, m.DAG_ID, m.RUN_ID, m.TASK_ID, m.MAP_INDEX, m.LENGTH, m.KEYS);
  }
}
