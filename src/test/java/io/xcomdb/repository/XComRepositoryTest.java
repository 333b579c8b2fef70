package io.xcomdb.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomdb.XComDb;
import io.xcomdb.schema.Flavour;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.FixtureRows;
import io.xcomdb.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class XComRepositoryTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant DAY1 = Instant.parse("2026-11-01T00:00:00Z");
  private static final Instant DAY2 = Instant.parse("2026-11-02T00:00:00Z");
  private static final Instant DAY3 = Instant.parse("2026-11-03T00:00:00Z");

  /** Three daily runs of "etl" and one run of "other" whose run id repeats one of etl's. */
  private static FixtureRows seed(AirflowDb db) {
    FixtureRows rows = new FixtureRows(db);
    Instant[] days = {DAY1, DAY2, DAY3};
    for (int i = 0; i < days.length; i++) {
      String runId = "scheduled__" + days[i];
      int run = rows.dagRun("etl", runId, days[i]);
      for (String task : List.of("extract", "load")) {
        rows.taskInstance("etl", runId, task, -1, i == 2 && task.equals("load") ? "failed" : "success");
        rows.xcom(run, "etl", runId, task, -1, "return_value", "{\"day\": " + (i + 1) + ", \"task\": \"" + task + "\"}", days[i].plusSeconds(60));
      }
      for (int m = 0; m < 3; m++) {
        rows.taskInstance("etl", runId, "fan", m, "success");
        rows.xcom(run, "etl", runId, "fan", m, "return_value", String.valueOf(10 * (i + 1) + m), days[i].plusSeconds(70 + m));
      }
    }
    int other = rows.dagRun("other", "scheduled__" + DAY2, DAY2);
    rows.taskInstance("other", "scheduled__" + DAY2, "extract", -1, "success");
    rows.xcom(other, "other", "scheduled__" + DAY2, "extract", -1, "return_value", "\"from other\"", DAY2.plusSeconds(5));
    return rows;
  }

  private static Object json(XComEntry e) throws Exception {
    StoredValue v = e.value().orElseThrow();
    return JSON.readTree(v.flavour() == Flavour.AIRFLOW_2 ? new String(v.bytes(), StandardCharsets.UTF_8) : v.json());
  }

  private static StoredValue stored(AirflowDb db, String json) {
    return db.fixture().release().flavour() == Flavour.AIRFLOW_2
        ? StoredValue.airflow2(json.getBytes(StandardCharsets.UTF_8)) : StoredValue.airflow3(json);
  }

  /** On every release line's tables. */
  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_7, AirflowSchemaFixture.AIRFLOW_2_8, AirflowSchemaFixture.AIRFLOW_2_9,
      AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_0, AirflowSchemaFixture.AIRFLOW_3_1,
      AirflowSchemaFixture.AIRFLOW_3_2, AirflowSchemaFixture.AIRFLOW_3_3})
  void pullsWithAirflowsGetManySemantics(AirflowDb db) throws Exception {
    seed(db);
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      XComRepository repo = xcomdb.xcoms();
      String run2 = "scheduled__" + DAY2;

      XComEntry one = repo.pullOne(XComQuery.forRun("etl", run2).withTaskIds("extract").withKey("return_value").withMapIndexes(-1))
          .orElseThrow();
      assertEquals(JSON.readTree("{\"day\": 2, \"task\": \"extract\"}"), json(one));
      assertEquals(DAY2, one.runDate());
      // pulls read xcom and dag_run only, as get_many does; listings carry the task instance
      assertEquals(Optional.empty(), one.taskState());
      assertEquals(Optional.empty(), one.tryNumber());
      XComEntry listed = repo.list(XComQuery.forRun("etl", run2).withTaskIds("extract").withMapIndexes(-1)).get(0);
      assertEquals(Optional.of("success"), listed.taskState());
      assertEquals(Optional.of(1), listed.tryNumber());
      // values together with the task state, to keep only successful task instances' values
      List<XComEntry> withState = repo.pull(XComQuery.forRun("etl", "scheduled__" + DAY3).withTaskIds("load", "extract")
          .withMapIndexes(-1).withTaskState());
      assertEquals(List.of("load", "extract"), withState.stream().map(XComEntry::taskId).toList());
      assertEquals(List.of(Optional.of("failed"), Optional.of("success")), withState.stream().map(XComEntry::taskState).toList());
      assertTrue(withState.stream().allMatch(e -> e.value().isPresent() && e.tryNumber().isPresent()));
      assertEquals(JSON.readTree("{\"day\": 3, \"task\": \"load\"}"), json(withState.get(0)));

      // task ids come back in the order asked for
      List<XComEntry> ordered = repo.pull(XComQuery.forRun("etl", run2).withTaskIds("load", "extract").withMapIndexes(-1));
      assertEquals(List.of("load", "extract"), ordered.stream().map(XComEntry::taskId).toList());

      // all map indexes of a mapped task, and a subset
      assertEquals(3, repo.pull(XComQuery.forRun("etl", run2).withTaskIds("fan")).size());
      List<XComEntry> subset = repo.pull(XComQuery.forRun("etl", run2).withTaskIds("fan").withMapIndexes(1, 2));
      assertEquals(List.of(1, 2), subset.stream().map(XComEntry::mapIndex).sorted().toList());
      // seed stored 10 * day + map index: run 2's indexes 1 and 2 hold 21 and 22
      for (XComEntry e : subset) {
        assertEquals(JSON.readTree(e.mapIndex() == 1 ? "21" : "22"), json(e));
      }

      // cross-DAG: the same run id in another DAG
      XComEntry other = repo.pullOne(XComQuery.forRun("other", run2).withTaskIds("extract")).orElseThrow();
      assertEquals(JSON.readTree("\"from other\""), json(other));

      // prior dates: runs at or before run 2, newest first
      List<XComEntry> prior = repo.pull(XComQuery.forRun("etl", run2).withTaskIds("extract").withPriorDates(true));
      assertEquals(List.of(DAY2, DAY1), prior.stream().map(XComEntry::runDate).toList());
      assertEquals(1, repo.pull(XComQuery.forRun("etl", run2).withTaskIds("extract").withPriorDates(true).withLimit(1)).size());

      // nothing found is an empty result
      assertTrue(repo.pull(XComQuery.forRun("etl", run2).withTaskIds("nope")).isEmpty());
      assertTrue(repo.pullOne(XComQuery.forRun("etl", "no-such-run")).isEmpty());
    }
  }

  @AirflowDbTest
  void listsEntriesWithMetadataButNoValues(AirflowDb db) {
    seed(db);
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      List<XComEntry> all = xcomdb.xcoms().list(XComQuery.all());
      assertEquals(3 * 5 + 1, all.size());
      assertEquals(DAY3, all.get(0).runDate(), "newest run first");
      assertTrue(all.stream().allMatch(e -> e.value().isEmpty()));
      XComEntry failed = all.stream().filter(e -> e.taskId().equals("load") && e.runDate().equals(DAY3)).findFirst().orElseThrow();
      assertEquals(Optional.of("failed"), failed.taskState());
      // seeded as the 26 bytes {"day": 3, "task": "load"}; PostgreSQL's jsonb and MySQL's JSON render this document
      // with the same separators and key order, so the size is the same on every server and flavour
      assertEquals(26, failed.storedBytes());
      assertEquals(2, xcomdb.xcoms().list(XComQuery.all().withDagId("etl").withKey("return_value").withLimit(2)).size());
    }
  }

  /** On every release line's tables. */
  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_7, AirflowSchemaFixture.AIRFLOW_2_8, AirflowSchemaFixture.AIRFLOW_2_9,
      AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_0, AirflowSchemaFixture.AIRFLOW_3_1,
      AirflowSchemaFixture.AIRFLOW_3_2, AirflowSchemaFixture.AIRFLOW_3_3})
  void pushUpsertsOnThePrimaryKeyAndPullsBackExactly(AirflowDb db) throws Exception {
    seed(db);
    String run1 = "scheduled__" + DAY1;
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      XComRepository repo = xcomdb.xcoms();
      Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
      repo.push("etl", run1, "extract", -1, "table_name", stored(db, "\"analytics.orders\""));
      repo.push("etl", run1, "extract", -1, "table_name", stored(db, "\"analytics.orders_v2\""));
      List<XComEntry> rows = repo.pull(XComQuery.forRun("etl", run1).withTaskIds("extract").withKey("table_name"));
      assertEquals(1, rows.size(), "one row per primary key");
      assertEquals(JSON.readTree("\"analytics.orders_v2\""), json(rows.get(0)));
      assertFalse(rows.get(0).timestamp().isBefore(before), "timestamp is the write's: " + rows.get(0).timestamp());
      assertTrue(rows.get(0).timestamp().isBefore(Instant.now().plusSeconds(5)));

      if (db.fixture().release().flavour() == Flavour.AIRFLOW_2) {
        byte[] pickle = {(byte) 0x80, 4, (byte) 0x95, 0, 0, (byte) 0xff, 0x00, '.'};
        repo.push("etl", run1, "extract", -1, "raw", StoredValue.airflow2(pickle));
        assertArrayEquals(pickle, repo.pullOne(XComQuery.forRun("etl", run1).withTaskIds("extract").withKey("raw"))
            .orElseThrow().value().orElseThrow().bytes());
      }
      // mapped task instance
      repo.push("etl", run1, "fan", 2, "extra", stored(db, "[1, 2, 3]"));
      assertEquals(JSON.readTree("[1, 2, 3]"),
          json(repo.pullOne(XComQuery.forRun("etl", run1).withTaskIds("fan").withMapIndexes(2).withKey("extra")).orElseThrow()));
    }
  }

  @AirflowDbTest
  void pushRefusesMissingRunsAndTaskInstancesAndWritesNothing(AirflowDb db) {
    seed(db);
    String run1 = "scheduled__" + DAY1;
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      XComRepository repo = xcomdb.xcoms();
      int before = repo.list(XComQuery.all()).size();
      NoSuchDagRunException noRun = assertThrows(NoSuchDagRunException.class,
          () -> repo.push("etl", "manual__nope", "extract", -1, "k", stored(db, "1")));
      assertTrue(noRun.getMessage().contains("'manual__nope'"), noRun.getMessage());
      NoSuchTaskInstanceException noTi = assertThrows(NoSuchTaskInstanceException.class,
          () -> repo.push("etl", run1, "fan", 7, "k", stored(db, "1")));
      assertTrue(noTi.getMessage().contains("map index 7"), noTi.getMessage());
      assertEquals(before, repo.list(XComQuery.all()).size());
    }
  }

  @AirflowDbTest(servers = {TestServer.MYSQL, TestServer.MARIADB})
  void refusesAValueLargerThanMaxAllowedPacketBeforeSendingIt(AirflowDb db) {
    seed(db);
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      long packet = xcomdb.dsl().fetchValue(org.jooq.impl.DSL.field("@@max_allowed_packet", Long.class));
      byte[] big = new byte[(int) packet + 1];
      java.util.Arrays.fill(big, (byte) '1');
      StoredValue value = db.fixture().release().flavour() == Flavour.AIRFLOW_2
          ? StoredValue.airflow2(big) : StoredValue.airflow3(new String(big, StandardCharsets.US_ASCII));
      ValueTooLargeException e = assertThrows(ValueTooLargeException.class,
          () -> xcomdb.xcoms().push("etl", "scheduled__" + DAY1, "extract", -1, "big", value));
      assertTrue(e.getMessage().contains("max_allowed_packet"), e.getMessage());
      assertTrue(xcomdb.xcoms().list(XComQuery.all().withKey("big")).isEmpty());
    }
  }

  /**
   * A pull that names no key reads return_value, as xcom_pull(task_ids=...) does, even when the task pushed a newer
   * value under another key; every key is an explicit choice.
   */
  @AirflowDbTest
  void aPullWithoutAKeyReadsTheReturnValueAsXcomPullDoes(AirflowDb db) throws Exception {
    seed(db);
    String run1 = "scheduled__" + DAY1;
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      XComRepository repo = xcomdb.xcoms();
      repo.push("etl", run1, "extract", -1, "row_count", stored(db, "42")); // newer than the seeded return_value
      XComQuery extract = XComQuery.forRun("etl", run1).withTaskIds("extract");
      assertEquals(JSON.readTree("{\"day\": 1, \"task\": \"extract\"}"), json(repo.pullOne(extract).orElseThrow()));
      assertEquals(Optional.of("extract"), repo.pullValue(extract, new TypeReference<Map<String, Object>>() { }).map(m -> m.get("task")));
      assertEquals(List.of("return_value"), repo.pull(extract).stream().map(XComEntry::key).toList());
      // every key: newest first, as get_many(key=None) orders them
      assertEquals(List.of("row_count", "return_value"), repo.pull(extract.withAnyKey()).stream().map(XComEntry::key).toList());
      assertEquals("row_count", repo.pullOne(extract.withAnyKey()).orElseThrow().key());
      assertEquals(List.of("row_count"), repo.pull(extract.withKey("row_count")).stream().map(XComEntry::key).toList());
      // a listing still shows every key of the task
      assertEquals(List.of("return_value", "row_count"), repo.list(extract).stream().map(XComEntry::key).sorted().toList());
    }
  }

  /** Airflow 2.7-2.8 on MySQL keep values in a BLOB: a longer one is refused before it is sent, one that fits goes in. */
  @AirflowDbTest(servers = {TestServer.MYSQL, TestServer.MARIADB}, fixtures = AirflowSchemaFixture.AIRFLOW_2_7)
  void refusesAValueLargerThanA64KiBBlobOnAirflow27(AirflowDb db) throws Exception {
    seed(db);
    String run1 = "scheduled__" + DAY1;
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      byte[] fits = ("\"" + "x".repeat(65_533) + "\"").getBytes(StandardCharsets.US_ASCII);
      xcomdb.xcoms().push("etl", run1, "extract", -1, "fits", StoredValue.airflow2(fits));
      assertArrayEquals(fits, xcomdb.xcoms().pullOne(XComQuery.forRun("etl", run1).withTaskIds("extract").withKey("fits"))
          .orElseThrow().value().orElseThrow().bytes());
      byte[] tooBig = ("\"" + "x".repeat(65_534) + "\"").getBytes(StandardCharsets.US_ASCII);
      ValueTooLargeException e = assertThrows(ValueTooLargeException.class,
          () -> xcomdb.xcoms().push("etl", run1, "extract", -1, "big", StoredValue.airflow2(tooBig)));
      assertEquals("The value is 65536 bytes, more than the 65535 bytes Airflow 2.7.0-2.7.3's MySQL xcom.value column (a BLOB; "
          + "2.9 made it LONGBLOB) accepts. Store large data elsewhere (object storage) and push a reference to it.", e.getMessage());
      assertTrue(xcomdb.xcoms().list(XComQuery.all().withKey("big")).isEmpty());
    }
  }

  /** Airflow 3.3's XCom.set writes a row whose dag_result is FALSE, and so does a push, also over an existing row. */
  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_3_3)
  void aPushOnAirflow33WritesDagResultFalseAsAirflowDoes(AirflowDb db) throws Exception {
    seed(db);
    String run1 = "scheduled__" + DAY1;
    var x = io.xcomdb.schema.generated.airflow3.Tables.XCOM;
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      xcomdb.xcoms().push("etl", run1, "extract", -1, "fresh", stored(db, "1"));
      assertEquals(List.of(false), new FixtureRows(db).dsl().select(x.DAG_RESULT).from(x).where(x.KEY.eq("fresh")).fetch(r -> r.value1()));
      // a row Airflow marked as the DAG's result and that is pushed again is an ordinary XCom after Airflow's set too
      new FixtureRows(db).dsl().update(x).set(x.DAG_RESULT, true).where(x.KEY.eq("fresh")).execute();
      xcomdb.xcoms().push("etl", run1, "extract", -1, "fresh", stored(db, "2"));
      assertEquals(List.of(false), new FixtureRows(db).dsl().select(x.DAG_RESULT).from(x).where(x.KEY.eq("fresh")).fetch(r -> r.value1()));
      assertEquals(JSON.readTree("2"), json(xcomdb.xcoms().pullOne(XComQuery.forRun("etl", run1).withTaskIds("extract")
          .withKey("fresh")).orElseThrow()));
    }
  }

  @AirflowDbTest
  void concurrentPushesToOneKeyLeaveOneRowAndNoErrors(AirflowDb db) throws Exception {
    seed(db);
    String run1 = "scheduled__" + DAY1;
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> futures = new ArrayList<>();
      for (int thread = 0; thread < 8; thread++) {
        int n = thread;
        futures.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            xcomdb.xcoms().push("etl", run1, "extract", -1, "counter", stored(db, String.valueOf(n * 1000 + i)));
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(); // rethrows any error a writer saw
      }
      pool.shutdown();
      List<XComEntry> rows = xcomdb.xcoms().pull(XComQuery.forRun("etl", run1).withTaskIds("extract").withKey("counter"));
      assertEquals(1, rows.size());
      int last = Integer.parseInt(json(rows.get(0)).toString());
      assertEquals(24, last % 1000, "the surviving value is some writer's last write: " + last);
    }
  }

  /** On every release line's tables. */
  @AirflowDbTest(fixtures = {AirflowSchemaFixture.AIRFLOW_2_7, AirflowSchemaFixture.AIRFLOW_2_8, AirflowSchemaFixture.AIRFLOW_2_9,
      AirflowSchemaFixture.AIRFLOW_2_10, AirflowSchemaFixture.AIRFLOW_3_0, AirflowSchemaFixture.AIRFLOW_3_1,
      AirflowSchemaFixture.AIRFLOW_3_2, AirflowSchemaFixture.AIRFLOW_3_3})
  void deletesOneKeyOrClearsATask(AirflowDb db) {
    seed(db);
    String run2 = "scheduled__" + DAY2;
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      XComRepository repo = xcomdb.xcoms();
      assertTrue(repo.delete("etl", run2, "extract", -1, "return_value"));
      assertFalse(repo.delete("etl", run2, "extract", -1, "return_value"));
      assertEquals(1, repo.clear("etl", run2, "fan", Optional.of(1)));
      assertEquals(2, repo.clear("etl", run2, "fan", Optional.empty()));
      assertEquals(1, repo.list(XComQuery.forRun("etl", run2)).size(), "only load's value is left in run 2");
      assertEquals(5, repo.list(XComQuery.forRun("etl", "scheduled__" + DAY1)).size(), "other runs untouched");
    }
  }

  @AirflowDbTest
  void pushAllWritesABatchInOneTransactionOrNothing(AirflowDb db) throws Exception {
    seed(db);
    String run1 = "scheduled__" + DAY1;
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      XComRepository repo = xcomdb.xcoms();
      List<XComWrite> writes = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        writes.add(new XComWrite("etl", run1, i % 2 == 0 ? "extract" : "fan", i % 2 == 0 ? -1 : i % 3, "k" + i, stored(db, "{\"i\": " + i + "}")));
      }
      repo.pushAll(writes);
      List<XComEntry> written = repo.pull(XComQuery.forRun("etl", run1).withTaskIds("extract", "fan").withAnyKey());
      assertEquals(60 + 1 + 3, written.size(), "60 new keys next to the seeded values");
      assertEquals(JSON.readTree("{\"i\": 59}"), json(repo.pullOne(XComQuery.forRun("etl", run1).withKey("k59")).orElseThrow()));

      List<XComWrite> bad = List.of(
          XComWrite.of("etl", run1, "extract", "ok1", stored(db, "1")),
          XComWrite.of("etl", run1, "no_such_task", "bad", stored(db, "2")),
          XComWrite.of("etl", run1, "load", "ok2", stored(db, "3")));
      NoSuchTaskInstanceException e = assertThrows(NoSuchTaskInstanceException.class, () -> repo.pushAll(bad));
      assertTrue(e.getMessage().contains("'no_such_task'"), e.getMessage());
      assertTrue(repo.pull(XComQuery.forRun("etl", run1).withKey("ok1")).isEmpty(), "the whole batch rolled back");
    }
  }

  @AirflowDbTest
  void mappedValuesAreALazyMapIndexOrderedSequence(AirflowDb db) throws Exception {
    seed(db);
    String run3 = "scheduled__" + DAY3;
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      MappedValues fan = xcomdb.xcoms().mapped("etl", run3, "fan", XComQuery.RETURN_VALUE);
      assertEquals(3, fan.size());
      assertEquals(JSON.readTree("31"), json(fan.get(1)));
      assertEquals(JSON.readTree("32"), json(fan.get(-1)));
      List<Integer> order = new ArrayList<>();
      for (XComEntry e : fan) {
        order.add(e.mapIndex());
      }
      assertEquals(List.of(0, 1, 2), order);
      assertThrows(IndexOutOfBoundsException.class, () -> fan.get(3));
      // pages of 2: the second page starts after the last map index of the first
      List<Integer> paged = new ArrayList<>();
      for (XComEntry e : xcomdb.xcoms().mapped("etl", run3, "fan", XComQuery.RETURN_VALUE, 2)) {
        paged.add(e.mapIndex());
        assertTrue(e.value().isPresent());
      }
      assertEquals(List.of(0, 1, 2), paged);
      assertEquals(0, xcomdb.xcoms().mapped("etl", run3, "extract", XComQuery.RETURN_VALUE).size(),
          "an unmapped task has no mapped values");
    }
  }

  @AirflowDbTest
  void rowsPushedTogetherComeBackInOneOrderWithOrWithoutALimit(AirflowDb db) {
    seed(db);
    String run1 = "scheduled__" + DAY1;
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      XComRepository repo = xcomdb.xcoms();
      // one batch: one timestamp; keys whose code point order differs from a locale's ("B" < "a" < "é")
      List<XComWrite> writes = new ArrayList<>();
      for (String key : List.of("é", "a", "B", "b2")) {
        writes.add(new XComWrite("etl", run1, "extract", -1, key, stored(db, "\"" + key + "\"")));
      }
      repo.pushAll(writes);
      XComQuery query = XComQuery.forRun("etl", run1).withTaskIds("extract").withMapIndexes(-1).withAnyKey();
      List<String> all = repo.pull(query).stream().map(XComEntry::key).filter(k -> !k.equals("return_value")).toList();
      assertEquals(List.of("B", "a", "b2", "é"), all, "sorted by the client");
      List<String> limited = repo.pull(query.withLimit(4)).stream().map(XComEntry::key).toList();
      assertEquals(all, limited, "sorted by the server");
      assertEquals("B", repo.pullOne(query).orElseThrow().key());
      // across runs, with the dag_run join: newest run first
      List<XComEntry> prior = repo.pull(XComQuery.forRun("etl", "scheduled__" + DAY3).withTaskIds("extract")
          .withPriorDates(true).withAnyKey());
      assertEquals(List.of(DAY3, DAY2, DAY1, DAY1, DAY1, DAY1, DAY1), prior.stream().map(XComEntry::runDate).toList());
      assertEquals(prior.subList(0, 3), repo.pull(XComQuery.forRun("etl", "scheduled__" + DAY3).withTaskIds("extract")
          .withPriorDates(true).withAnyKey().withLimit(3)));
    }
  }

  @AirflowDbTest
  void aValueFeedingAMappedTaskAlsoRecordsItsTaskMapRow(AirflowDb db) throws Exception {
    seed(db);
    String run1 = "scheduled__" + DAY1;
    try (XComDb xcomdb = XComDb.connect(db.settings())) {
      XComRepository repo = xcomdb.xcoms();
      repo.pushReturnValueForMapping("etl", run1, "extract", -1, List.of("a.csv", "b.csv", "c.csv"), XComRepository.DEFAULT_MAX_MAP_LENGTH);
      var row = taskMapRow(xcomdb);
      assertEquals(3, row.get(0, Integer.class));
      assertEquals(null, row.get(1));
      assertEquals(JSON.readTree("[\"a.csv\", \"b.csv\", \"c.csv\"]"),
          json(repo.pullOne(XComQuery.forRun("etl", run1).withTaskIds("extract")).orElseThrow()));

      repo.pushReturnValueForMapping("etl", run1, "extract", -1, new java.util.LinkedHashMap<>(java.util.Map.of("x", 1)), 1024);
      row = taskMapRow(xcomdb);
      assertEquals(1, row.get(0, Integer.class), "the row is replaced, not duplicated");
      assertEquals(JSON.readTree("[\"x\"]"), JSON.readTree(row.get(1).toString()));

      var tooLong = assertThrows(io.xcomdb.XComDbException.class,
          () -> repo.pushReturnValueForMapping("etl", run1, "load", -1, List.of(1, 2, 3), 2));
      assertTrue(tooLong.getMessage().startsWith("UnmappableXComLengthPushed"), tooLong.getMessage());
      var notAList = assertThrows(io.xcomdb.XComDbException.class,
          () -> repo.pushReturnValueForMapping("etl", run1, "load", -1, "text", 1024));
      assertTrue(notAList.getMessage().startsWith("UnmappableXComTypePushed"), notAList.getMessage());
      assertEquals(0, xcomdb.dsl().fetchCount(org.jooq.impl.DSL.table("task_map"), org.jooq.impl.DSL.field("task_id").eq("load")));

      var noTask = assertThrows(NoSuchTaskInstanceException.class,
          () -> repo.pushReturnValueForMapping("etl", run1, "ghost", -1, List.of(1), 1024));
      assertTrue(noTask.getMessage().contains("'ghost'"));
      assertEquals(0, xcomdb.dsl().fetchCount(org.jooq.impl.DSL.table("task_map"), org.jooq.impl.DSL.field("task_id").eq("ghost")),
          "nothing half-written");
    }
  }

  private static org.jooq.Record2<Object, Object> taskMapRow(XComDb xcomdb) {
    return xcomdb.dsl().select(org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("length")), org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("keys")))
        .from(org.jooq.impl.DSL.table(org.jooq.impl.DSL.name("task_map")))
        .where(org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("dag_id")).eq("etl"), org.jooq.impl.DSL.field(org.jooq.impl.DSL.name("task_id")).eq("extract"))
        .fetchOne();
  }
}
