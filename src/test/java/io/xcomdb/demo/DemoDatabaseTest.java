package io.xcomdb.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.XComDb;
import io.xcomdb.schema.AirflowRelease;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDatabaseTest {

  @Test
  void startsAnEmbeddedAirflow31DatabaseSeededOnceAndKeptBetweenStarts(@TempDir Path dir, @TempDir Path binaries) {
    // fresh binaries directory: unpacking them is what a fresh machine does first (and once broke on a jar conflict)
    try (DemoDatabase demo = DemoDatabase.start(dir, binaries); XComDb db = XComDb.connect(demo.settings())) {
      assertTrue(demo.seededNow());
      assertEquals(AirflowRelease.AIRFLOW_3_1, db.schema().release().orElseThrow());
      Map<String, Integer> perDag = db.dsl().fetch("SELECT dag_id, count(*) AS n FROM xcom GROUP BY dag_id").stream()
          .collect(Collectors.toMap(r -> r.get(0, String.class), r -> r.get(1, Integer.class)));
      assertEquals(Map.of("etl_orders", 20, "fanout_files", 28, "ml_training", 6), perDag);
      assertEquals(5, db.dsl().fetchCount(DSL.table("xcom"),
          DSL.field("task_id").eq("process_file").and(DSL.field("map_index").ge(0))
              .and(DSL.field("run_id").like("scheduled__%")).and(DSL.field("dag_run_id").eq(
                  DSL.field("(SELECT min(dag_run_id) FROM xcom WHERE dag_id = 'fanout_files')", Integer.class)))));
    }
    try (DemoDatabase again = DemoDatabase.start(dir, binaries)) {
      assertFalse(again.seededNow(), "the second start reuses the data directory");
    }
  }
}
