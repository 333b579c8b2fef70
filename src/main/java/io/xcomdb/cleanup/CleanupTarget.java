package io.xcomdb.cleanup;

import io.xcomdb.internal.AirflowTables;
import io.xcomdb.schema.Flavour;
import io.xcomdb.schema.SchemaInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Row4;
import org.jooq.SQLDialect;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * A table a cleanup deletes from: {@code xcom}, or {@code _xcom_archive} (same primary key, no foreign keys).
 * {@code binaryValue}: the value column holds Airflow 2's bytes (JSON or pickle), else Airflow 3's JSON.
 */
record CleanupTarget(
    String name,
    Table<? extends Record> table,
    Field<Integer> dagRunId,
    Field<String> taskId,
    Field<Integer> mapIndex,
    Field<String> key,
    Field<String> dagId,
    Field<Instant> timestamp,
    Field<Long> storedBytes,
    Field<?> value,
    boolean binaryValue,
    /* every column the table has on this schema's release, for the JSON-lines archive */
    List<Field<?>> columns) {

  static List<CleanupTarget> of(SchemaInfo schema, RetentionPolicy policy) {
    boolean postgres = schema.dialect().family() == SQLDialect.POSTGRES;
    AirflowTables t = AirflowTables.of(schema.shape());
    List<CleanupTarget> targets = new ArrayList<>();
    // the same size as XComRepository reports: bytes of the stored value, JSON as text
    Field<Long> xcomBytes = !postgres ? DSL.field("length({0})", Long.class, t.xcomValue())
        : schema.flavour() == Flavour.AIRFLOW_2 ? DSL.field("octet_length({0})", Long.class, t.xcomValue())
        : DSL.field("octet_length({0}::text)", Long.class, t.xcomValue());
    targets.add(new CleanupTarget("xcom", t.xcom(), t.xcomDagRunId(), t.xcomTaskId(), t.xcomMapIndex(), t.xcomKey(),
        t.xcomDagId(), t.xcomTimestamp(), xcomBytes, t.xcomValue(), schema.flavour() == Flavour.AIRFLOW_2, t.xcomColumns()));
    if (policy.includesArchive() && schema.hasXcomArchive()) {
      var a = io.xcomdb.schema.generated.airflow3.Tables._XCOM_ARCHIVE;
      Field<Long> archiveBytes = DSL.field(postgres ? "octet_length({0})" : "length({0})", Long.class, a.VALUE);
      targets.add(new CleanupTarget("_xcom_archive", a, a.DAG_RUN_ID, a.TASK_ID, a.MAP_INDEX, a.KEY, a.DAG_ID, a.TIMESTAMP,
          archiveBytes, a.VALUE, true, List.of(a.fields())));
    }
    return targets;
  }

  Row4<Integer, String, Integer, String> primaryKey() {
    return DSL.row(dagRunId, taskId, mapIndex, key);
  }

  /** What to run so that the delete can find expired rows without a scan; Airflow ships no such index. */
  String indexAdvice(SchemaInfo schema) {
    String index = "idx_" + name.replaceFirst("^_", "") + "_timestamp";
    if (schema.dialect().family() == SQLDialect.POSTGRES) {
      String qualified = "public".equals(schema.schema()) ? name : schema.schema() + "." + name;
      return "CREATE INDEX CONCURRENTLY " + index + " ON " + qualified + " (\"timestamp\");";
    }
    return "CREATE INDEX " + index + " ON " + name + " (`timestamp`) ALGORITHM=INPLACE LOCK=NONE;";
  }
}
