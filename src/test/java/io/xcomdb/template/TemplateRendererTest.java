package io.xcomdb.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xcomdb.XComDb;
import io.xcomdb.XComDbException;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.FixtureRows;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {

  private static final Instant DAY1 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant DAY2 = Instant.parse("2026-11-02T00:00:00Z");

  private static void seed(AirflowDb db) {
    FixtureRows rows = new FixtureRows(db);
    int r1 = rows.runWithXcom("etl", "run1", DAY1, "extract", "return_value", "{\"rows\": 10}", DAY1.plusSeconds(1));
    rows.taskInstance("etl", "run1", "load", -1, "success");
    rows.xcom(r1, "etl", "run1", "load", -1, "table_name", "\"analytics.orders\"", DAY1.plusSeconds(2));
    int r2 = rows.runWithXcom("etl", "run2", DAY2, "load", "table_name", "\"analytics.orders_v2\"", DAY2.plusSeconds(2));
    for (int i = 0; i < 3; i++) {
      rows.taskInstance("etl", "run2", "fan", i, "success");
      rows.xcom(r2, "etl", "run2", "fan", i, "return_value", "\"part-" + i + "\"", DAY2.plusSeconds(3 + i));
    }
    rows.runWithXcom("other", "run2", DAY2, "produce", "return_value", "42", DAY2.plusSeconds(9));
  }

  @AirflowDbTest
  void rendersXcomPullLikeAirflow(AirflowDb db) {
    seed(db);
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      TemplateRenderer renderer = new TemplateRenderer(xcomdb.xcoms());
      assertEquals("SELECT * FROM analytics.orders WHERE ds = '2026-11-01'",
          renderer.render("SELECT * FROM {{ ti.xcom_pull(key='table_name', task_ids='load') }} WHERE ds = '{{ ds }}'", "etl", "run1"));
      assertEquals("10", renderer.render("{{ task_instance.xcom_pull('extract')['rows'] }}", "etl", "run1"));
      assertEquals("part-0,part-1,part-2", renderer.render("{{ ti.xcom_pull(task_ids='fan') | join(',') }}", "etl", "run2"),
          "a mapped upstream gives all its values in map-index order");
      assertEquals("part-1", renderer.render("{{ ti.xcom_pull(task_ids='fan', map_indexes=1) }}", "etl", "run2"));
      assertEquals("42", renderer.render("{{ ti.xcom_pull(task_ids='produce', dag_id='other') }}", "etl", "run2"), "cross-DAG");
      assertEquals("none here", renderer.render("{{ ti.xcom_pull(task_ids='nope', default='none here') }}", "etl", "run2"));
      assertEquals("analytics.orders_v2", renderer.render(
          "{{ ti.xcom_pull(task_ids='load', key='table_name', include_prior_dates=True) }}", "etl", "run2"), "newest first");
      assertEquals("['analytics.orders_v2', 7]", renderer.render(
          "{{ ti.xcom_pull(task_ids=['load', 'missing'], key='table_name', default=7) }}", "etl", "run2"));
      assertEquals("20261102 scheduled? run2", renderer.render("{{ ds_nodash }} scheduled? {{ run_id }}", "etl", "run2"));
    }
  }

  @AirflowDbTest
  void printsValuesAsJinja2DoesWithPythonsStr(AirflowDb db) {
    seed(db);
    FixtureRows rows = new FixtureRows(db);
    int r3 = rows.runWithXcom("etl", "run3", DAY2.plusSeconds(86_400), "shape", "return_value",
        "{\"k\": \"v\", \"n\": null, \"b\": true, \"l\": [\"it's\", 1, 1.5, 2.5e-7, false]}", DAY2.plusSeconds(86_401));
    rows.taskInstance("etl", "run3", "flag", -1, "success");
    rows.xcom(r3, "etl", "run3", "flag", -1, "return_value", "false", DAY2.plusSeconds(86_402));
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      TemplateRenderer renderer = new TemplateRenderer(xcomdb.xcoms());
      assertEquals("None", renderer.render("{{ ti.xcom_pull(task_ids='missing') }}", "etl", "run3"), "no XCom is None");
      assertEquals("False|True", renderer.render(
          "{{ ti.xcom_pull(task_ids='flag') }}|{{ ti.xcom_pull(task_ids='missing') is none }}", "etl", "run3"));
      String shape = renderer.render("{{ ti.xcom_pull(task_ids='shape') }}", "etl", "run3");
      // JSON documents come back with their keys in the server's order (JSONB sorts them): compare per item
      for (String item : new String[] {"'k': 'v'", "'n': None", "'b': True", "'l': [\"it's\", 1, 1.5, 2.5e-07, False]"}) {
        assertTrue(shape.startsWith("{") && shape.endsWith("}") && shape.contains(item), shape);
      }
      assertEquals("['part-0', 'part-1', 'part-2'] 3", renderer.render(
          "{{ ti.xcom_pull(task_ids='fan') }} {{ ti.xcom_pull(task_ids='fan') | length }}", "etl", "run2"));
    }
  }

  @Test
  void writesPythonReprOfStrings() {
    assertEquals("['a', \"it's\", 'both \\' \"', 'tab\\t nl\\n \\x00 \\\\', '\u00e9\u20ac']",
        PythonStr.str(java.util.List.of("a", "it's", "both ' \"", "tab\t nl\n \u0000 \\", "\u00e9\u20ac")));
    assertEquals("{1: None, 'x': -0.5}", PythonStr.str(pyMap()));
    assertEquals("plain text", PythonStr.str("plain text"));
    assertEquals("None", PythonStr.str(null));
  }

  private static java.util.Map<Object, Object> pyMap() {
    java.util.Map<Object, Object> m = new java.util.LinkedHashMap<>();
    m.put(1L, null);
    m.put("x", -0.5);
    return m;
  }

  @AirflowDbTest
  void reportsTemplateErrorsAndUnknownRuns(AirflowDb db) {
    seed(db);
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      TemplateRenderer renderer = new TemplateRenderer(xcomdb.xcoms());
      XComDbException noRun = assertThrows(XComDbException.class, () -> renderer.render("{{ ds }}", "etl", "run9"));
      assertTrue(noRun.getMessage().contains("No DAG run 'run9'"), noRun.getMessage());
      XComDbException bad = assertThrows(XComDbException.class,
          () -> renderer.render("{{ ti.xcom_pull(task_ids='load', bogus=1) }}", "etl", "run1"));
      XComDbException syntax = assertThrows(XComDbException.class,
          () -> renderer.render("{{ ti.xcom_pull(task_ids='load'", "etl", "run1"));
      assertTrue(syntax.getMessage().startsWith("The template does not render"), syntax.getMessage());
      assertTrue(bad.getMessage().startsWith("The template does not render") && bad.getMessage().contains("xcom_pull"), bad.getMessage());
    }
  }
}
