package io.xcomdb.demo;

import static io.xcomdb.schema.generated.airflow3.Tables.DAG;
import static io.xcomdb.schema.generated.airflow3.Tables.DAG_RUN;
import static io.xcomdb.schema.generated.airflow3.Tables.TASK_INSTANCE;
import static io.xcomdb.schema.generated.airflow3.Tables.TASK_MAP;
import static io.xcomdb.schema.generated.airflow3.Tables.XCOM;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Seeds an Airflow 3.1 schema with what a small deployment accumulates: scheduled runs of three DAGs over the last
 * weeks, a mapped task, named keys, serde envelopes (tuple, set, datetime, timedelta, date, Decimal), a value
 * written through the REST API (a JSON string holding JSON text), a failed task instance and one large value.
 * Stored values are the JSON Airflow 3's Task SDK writes for the same Python values.
 */
final class DemoData {

  private DemoData() {}

  static void seed(DataSource dataSource) {
    DSL.using(dataSource, SQLDialect.POSTGRES).transaction(tx -> new Seeder(tx.dsl()).run());
  }

  private static final class Seeder {
    private final DSLContext dsl;
    private final Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);

    Seeder(DSLContext dsl) {
      this.dsl = dsl;
    }

    void run() {
      dag("etl_orders", "dags/etl_orders.py");
      dag("fanout_files", "dags/fanout_files.py");
      dag("ml_training", "dags/ml_training.py");
      for (int daysAgo : new int[] {45, 31, 8, 1}) {
        etlOrders(daysAgo);
        fanoutFiles(daysAgo);
      }
      mlTraining(3);
    }

    private void dag(String dagId, String fileloc) {
      dsl.insertInto(DAG).set(DAG.DAG_ID, dagId).set(DAG.IS_PAUSED, false).set(DAG.IS_STALE, false)
          .set(DAG.FILELOC, "/opt/airflow/" + fileloc).set(DAG.DAG_DISPLAY_NAME, dagId).execute();
    }

    private int run(String dagId, int daysAgo, String state) {
      Instant logical = today.minus(Duration.ofDays(daysAgo));
      String runId = "scheduled__" + logical.toString().replace("Z", "+00:00");
      return dsl.insertInto(DAG_RUN)
          .set(DAG_RUN.DAG_ID, dagId).set(DAG_RUN.RUN_ID, runId).set(DAG_RUN.LOGICAL_DATE, logical)
          .set(DAG_RUN.RUN_AFTER, logical.plus(Duration.ofDays(1))).set(DAG_RUN.RUN_TYPE, "scheduled")
          .set(DAG_RUN.STATE, state).set(DAG_RUN.QUEUED_AT, logical.plus(Duration.ofDays(1)))
          .set(DAG_RUN.START_DATE, logical.plus(Duration.ofDays(1)).plusSeconds(5))
          .set(DAG_RUN.END_DATE, logical.plus(Duration.ofDays(1)).plusSeconds(300))
          .set(DAG_RUN.CONF, "{}")
          .returningResult(DAG_RUN.ID).fetchOne().value1();
    }

    private String runIdOf(int dagRunId) {
      return dsl.select(DAG_RUN.RUN_ID).from(DAG_RUN).where(DAG_RUN.ID.eq(dagRunId)).fetchOne().value1();
    }

    private Instant ti(String dagId, int dagRunId, String taskId, int mapIndex, String state, Instant start) {
      dsl.insertInto(TASK_INSTANCE)
          .set(TASK_INSTANCE.ID, UUID.randomUUID()).set(TASK_INSTANCE.DAG_ID, dagId).set(TASK_INSTANCE.TASK_ID, taskId)
          .set(TASK_INSTANCE.RUN_ID, runIdOf(dagRunId)).set(TASK_INSTANCE.MAP_INDEX, mapIndex)
          .set(TASK_INSTANCE.STATE, state).set(TASK_INSTANCE.TRY_NUMBER, 1).set(TASK_INSTANCE.MAX_TRIES, 2)
          .set(TASK_INSTANCE.START_DATE, start).set(TASK_INSTANCE.END_DATE, start.plusSeconds(12))
          .set(TASK_INSTANCE.DURATION, 12.0).execute();
      return start.plusSeconds(12);
    }

    private void xcom(String dagId, int dagRunId, String taskId, int mapIndex, String key, String json, Instant at) {
      dsl.insertInto(XCOM)
          .set(XCOM.DAG_RUN_ID, dagRunId).set(XCOM.DAG_ID, dagId).set(XCOM.RUN_ID, runIdOf(dagRunId))
          .set(XCOM.TASK_ID, taskId).set(XCOM.MAP_INDEX, mapIndex).set(XCOM.KEY, key)
          .set(XCOM.VALUE, json).set(XCOM.TIMESTAMP, at).execute();
    }

    private void etlOrders(int daysAgo) {
      int run = run("etl_orders", daysAgo, "success");
      Instant start = today.minus(Duration.ofDays(daysAgo - 1L)).plusSeconds(10);
      LocalDate ds = LocalDate.ofInstant(today.minus(Duration.ofDays(daysAgo)), ZoneOffset.UTC);
      Instant t = ti("etl_orders", run, "extract", -1, "success", start);
      int rows = 1000 + daysAgo * 17;
      xcom("etl_orders", run, "extract", -1, "return_value",
          "{\"rows\": " + rows + ", \"source\": \"s3://lake/orders/" + ds + ".csv\", \"columns\": [\"id\", \"customer\", \"amount\"]}", t);
      t = ti("etl_orders", run, "transform", -1, "success", t.plusSeconds(2));
      xcom("etl_orders", run, "transform", -1, "return_value", "[" + rows + ", " + (rows - 3) + ", 3]", t);
      xcom("etl_orders", run, "transform", -1, "rejected_ids", "[17, 4711, 90210]", t);
      t = ti("etl_orders", run, "load", -1, "success", t.plusSeconds(2));
      xcom("etl_orders", run, "load", -1, "table_name", "\"analytics.orders_daily\"", t);
      xcom("etl_orders", run, "load", -1, "return_value", String.valueOf(rows - 3), t);
    }

    private void fanoutFiles(int daysAgo) {
      boolean failedRun = daysAgo == 8;
      int run = run("fanout_files", daysAgo, failedRun ? "failed" : "success");
      Instant start = today.minus(Duration.ofDays(daysAgo - 1L)).plusSeconds(600);
      Instant t = ti("fanout_files", run, "list_files", -1, "success", start);
      StringBuilder files = new StringBuilder("[");
      for (int i = 0; i < 5; i++) {
        files.append(i == 0 ? "" : ", ").append("\"part-0000").append(i).append(".parquet\"");
      }
      xcom("fanout_files", run, "list_files", -1, "return_value", files.append(']').toString(), t);
      dsl.insertInto(TASK_MAP).set(TASK_MAP.DAG_ID, "fanout_files").set(TASK_MAP.TASK_ID, "list_files")
          .set(TASK_MAP.RUN_ID, runIdOf(run)).set(TASK_MAP.MAP_INDEX, -1).set(TASK_MAP.LENGTH, 5).execute();
      long total = 0;
      for (int i = 0; i < 5; i++) {
        Instant done = ti("fanout_files", run, "process_file", i, "success", t.plusSeconds(1 + i));
        long bytes = 1_048_576L * (i + 1) + daysAgo;
        total += bytes;
        xcom("fanout_files", run, "process_file", i, "return_value",
            "{\"file\": \"part-0000" + i + ".parquet\", \"bytes\": " + bytes + ", \"checksum\": \"sha256:" + Integer.toHexString(0x9e3779b9 * (i + daysAgo)) + "\"}", done);
      }
      t = ti("fanout_files", run, "summarize", -1, failedRun ? "failed" : "success", t.plusSeconds(30));
      xcom("fanout_files", run, "summarize", -1, "return_value", "{\"files\": 5, \"total_bytes\": " + total + "}", t);
    }

    private void mlTraining(int daysAgo) {
      int run = run("ml_training", daysAgo, "success");
      Instant start = today.minus(Duration.ofDays(daysAgo - 1L)).plusSeconds(3600);
      Instant t = ti("ml_training", run, "prepare", -1, "success", start);
      xcom("ml_training", run, "prepare", -1, "return_value",
          "{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [0.8, 0.1, 0.1]}", t);
      xcom("ml_training", run, "prepare", -1, "features",
          "{\"__classname__\": \"builtins.set\", \"__version__\": 1, \"__data__\": [\"age\", \"country\", \"tenure\"]}", t);
      xcom("ml_training", run, "prepare", -1, "cutoff",
          "{\"__classname__\": \"pendulum.datetime.DateTime\", \"__version__\": 2, \"__data__\": {\"timestamp\": "
              + today.minus(Duration.ofDays(daysAgo)).getEpochSecond() + ".0, \"tz\": {\"__classname__\": \"builtins.tuple\", "
              + "\"__version__\": 1, \"__data__\": [\"UTC\", \"pendulum.tz.timezone.Timezone\", 1, true]}}}", t);
      t = ti("ml_training", run, "train", -1, "success", t.plusSeconds(5));
      xcom("ml_training", run, "train", -1, "return_value",
          "{\"model\": \"s3://models/churn/v42.pkl\", \"auc\": 0.913, \"learning_rate\": {\"__classname__\": \"decimal.Decimal\", "
              + "\"__version__\": 1, \"__data__\": 0.05}, \"trained_for\": {\"__classname__\": \"datetime.timedelta\", "
              + "\"__version__\": 2, \"__data__\": 5423.5}, \"as_of\": {\"__classname__\": \"datetime.date\", \"__version__\": 2, "
              + "\"__data__\": \"" + LocalDate.ofInstant(today, ZoneOffset.UTC) + "\"}}", t);
      StringBuilder big = new StringBuilder("{\"predictions\": [");
      for (int i = 0; i < 4000; i++) {
        big.append(i == 0 ? "" : ", ").append("{\"id\": ").append(i).append(", \"p\": 0.").append(1000 + (i * 7919) % 9000).append('}');
      }
      xcom("ml_training", run, "train", -1, "predictions", big.append("]}").toString(), t);
      t = ti("ml_training", run, "publish", -1, "success", t.plusSeconds(5));
      // written through the public REST API: json.dumps() text stored as a JSON string
      xcom("ml_training", run, "publish", -1, "release_notes",
          "\"{\\\"version\\\": 42, \\\"approved_by\\\": \\\"data-science\\\"}\"", t);
    }
  }
}
