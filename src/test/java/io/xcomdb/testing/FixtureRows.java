package io.xcomdb.testing;

import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.internal.AirflowTables;
import io.xcomdb.schema.Flavour;
import io.xcomdb.schema.generated.airflow2.Tables;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Writes Airflow rows into a test database as Airflow would: a dag_run, its task instances, their XComs, with the
 * value in the flavour's own form (UTF-8 JSON bytes for Airflow 2, native JSON for Airflow 3).
 */
public final class FixtureRows {

  private final DSLContext dsl;
  private final Flavour flavour;
  private final AirflowTables tables;
  /** MySQL from 3.2 on: task_instance.id is CHAR(32), the UUID's hex digits without dashes, as SQLAlchemy writes it */
  private final boolean hexTaskInstanceIds;

  public FixtureRows(AirflowDb db) {
    this.dsl = DSL.using(db.dataSource(), dialectOf(db.server()));
    this.flavour = db.fixture().release().flavour();
    this.tables = AirflowTables.of(db.fixture().release().shape());
    this.hexTaskInstanceIds = db.server() != TestServer.POSTGRESQL && flavour == Flavour.AIRFLOW_3
        && "char".equalsIgnoreCase(String.valueOf(dsl.fetchValue("SELECT data_type FROM information_schema.columns WHERE "
            + "table_schema = database() AND table_name = 'task_instance' AND column_name = 'id'")));
  }

  public static SQLDialect dialectOf(TestServer server) {
    return switch (server) {
      case POSTGRESQL -> SQLDialect.POSTGRES;
      case MYSQL -> SQLDialect.MYSQL;
      case MARIADB -> SQLDialect.MARIADB;
    };
  }

  public DSLContext dsl() {
    return dsl;
  }

  /** Inserts a scheduled dag_run and returns its id. */
  public int dagRun(String dagId, String runId, Instant logicalDate) {
    if (flavour == Flavour.AIRFLOW_2) {
      var r = Tables.DAG_RUN;
      dsl.insertInto(r).set(r.DAG_ID, dagId).set(r.RUN_ID, runId).set(r.EXECUTION_DATE, logicalDate)
          .set(r.RUN_TYPE, "scheduled").set(r.STATE, "success").set(r.EXTERNAL_TRIGGER, false).execute();
      return dsl.select(r.ID).from(r).where(r.DAG_ID.eq(dagId), r.RUN_ID.eq(runId)).fetchSingle().value1();
    }
    var r = io.xcomdb.schema.generated.airflow3.Tables.DAG_RUN;
    dsl.insertInto(r).set(r.DAG_ID, dagId).set(r.RUN_ID, runId).set(r.LOGICAL_DATE, logicalDate)
        .set(r.RUN_AFTER, logicalDate).set(r.RUN_TYPE, "scheduled").set(r.STATE, "success").execute();
    return dsl.select(r.ID).from(r).where(r.DAG_ID.eq(dagId), r.RUN_ID.eq(runId)).fetchSingle().value1();
  }

  public void taskInstance(String dagId, String runId, String taskId, int mapIndex, String state) {
    if (flavour == Flavour.AIRFLOW_2) {
      var t = Tables.TASK_INSTANCE;
      dsl.insertInto(t).set(t.DAG_ID, dagId).set(t.RUN_ID, runId).set(t.TASK_ID, taskId).set(t.MAP_INDEX, mapIndex)
          .set(t.STATE, state).set(t.TRY_NUMBER, 1).execute();
    } else {
      var t = io.xcomdb.schema.generated.airflow3.Tables.TASK_INSTANCE;
      UUID id = UUID.randomUUID();
      var insert = hexTaskInstanceIds
          ? dsl.insertInto(t).set(DSL.field(t.ID.getUnqualifiedName(), String.class), id.toString().replace("-", ""))
          : dsl.insertInto(t).set(t.ID, id);
      insert.set(t.DAG_ID, dagId).set(t.RUN_ID, runId).set(t.TASK_ID, taskId)
          .set(t.MAP_INDEX, mapIndex).set(t.STATE, state).set(t.TRY_NUMBER, 1).execute();
    }
  }

  /** An XCom whose value is the given JSON text (stored as UTF-8 bytes on Airflow 2, as JSON on Airflow 3). */
  public void xcom(int dagRunId, String dagId, String runId, String taskId, int mapIndex, String key, String json, Instant at) {
    if (flavour == Flavour.AIRFLOW_2) {
      xcomBytes(dagRunId, dagId, runId, taskId, mapIndex, key, json == null ? null : json.getBytes(StandardCharsets.UTF_8), at);
    } else {
      var x = io.xcomdb.schema.generated.airflow3.Tables.XCOM;
      var insert = dsl.insertInto(x).set(x.DAG_RUN_ID, dagRunId).set(x.DAG_ID, dagId).set(x.RUN_ID, runId).set(x.TASK_ID, taskId)
          .set(x.MAP_INDEX, mapIndex).set(x.KEY, key).set(x.VALUE, json).set(x.TIMESTAMP, at);
      // 3.3's model writes dag_result FALSE unless the XCom is the DAG's result
      (tables.xcomDagResult().isPresent() ? insert.set(x.DAG_RESULT, false) : insert).execute();
    }
  }

  /** An Airflow 2 XCom holding exactly these bytes (JSON, a pickle, or garbage). */
  public void xcomBytes(int dagRunId, String dagId, String runId, String taskId, int mapIndex, String key, byte[] raw, Instant at) {
    if (flavour != Flavour.AIRFLOW_2) {
      throw new IllegalStateException("raw bytes need the Airflow 2 BYTEA/LONGBLOB column");
    }
    var x = Tables.XCOM;
    dsl.insertInto(x).set(x.DAG_RUN_ID, dagRunId).set(x.DAG_ID, dagId).set(x.RUN_ID, runId).set(x.TASK_ID, taskId)
        .set(x.MAP_INDEX, mapIndex).set(x.KEY, key).set(x.VALUE, raw).set(x.TIMESTAMP, at).execute();
  }

  /** Shorthand: a run with one successful task instance and one XCom; returns the dag_run id. */
  public int runWithXcom(String dagId, String runId, Instant logicalDate, String taskId, String key, String json, Instant at) {
    int id = dagRun(dagId, runId, logicalDate);
    taskInstance(dagId, runId, taskId, -1, "success");
    xcom(id, dagId, runId, taskId, -1, key, json, at);
    return id;
  }

  static boolean isAirflow2(AirflowSchemaFixture fixture) {
    return fixture.release().flavour() == Flavour.AIRFLOW_2;
  }
}
