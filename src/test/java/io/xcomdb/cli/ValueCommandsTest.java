package io.xcomdb.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.xcomdb.demo.AirflowSchemaFixture;
import io.xcomdb.testing.AirflowDb;
import io.xcomdb.testing.AirflowDbTest;
import io.xcomdb.testing.FixtureRows;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** get, set, delete on real databases; decode and encode on files and stdin. */
class ValueCommandsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @AirflowDbTest
  void setThenGetThenDeleteOneXcom(AirflowDb db) throws Exception {
    FixtureRows rows = new FixtureRows(db);
    Instant day = Instant.parse("2026-10-01T00:00:00Z");
    rows.dagRun("etl", "r1", day);
    rows.taskInstance("etl", "r1", "extract", -1, "success");
    for (int i = 0; i < 3; i++) {
      rows.taskInstance("etl", "r1", "fan", i, "success");
    }
    String url = db.jdbcUrl();
    String[] at = {"--url", url, "--dag", "etl", "--run", "r1", "--task", "extract"};

    CliRun set = CliRun.of(concat(new String[] {"set", "--key", "shape", "--value", "{\"$tuple\": [3, 4]}"}, at));
    assertEquals(0, set.exitCode(), set.err());
    CliRun get = CliRun.of(concat(new String[] {"get", "--key", "shape", "--json"}, at));
    assertEquals(0, get.exitCode(), get.err());
    assertEquals(JSON.readTree("{\"$tuple\": [3, 4]}"), JSON.readTree(get.out()));

    for (int i = 0; i < 3; i++) {
      assertEquals(0, CliRun.of("set", "--url", url, "--dag", "etl", "--run", "r1", "--task", "fan", "--map-index",
          String.valueOf(i), "--key", "return_value", "--value", String.valueOf(i * i)).exitCode());
    }
    CliRun all = CliRun.of("get", "--url", url, "--dag", "etl", "--run", "r1", "--task", "fan", "--map-index", "all");
    assertEquals(0, all.exitCode(), all.err());
    assertEquals(3, all.out().lines().count());
    assertEquals(JSON.readTree("{\"map_index\": 2, \"value\": 4}"), JSON.readTree(all.out().lines().toList().get(2)));

    CliRun missing = CliRun.of(concat(new String[] {"get", "--key", "nope"}, at));
    assertEquals(1, missing.exitCode());
    assertTrue(missing.err().contains("No XCom 'nope' of task 'extract'"), missing.err());

    CliRun noTask = CliRun.of("set", "--url", url, "--dag", "etl", "--run", "r1", "--task", "ghost", "--key", "k", "--value", "1");
    assertEquals(1, noTask.exitCode());
    assertTrue(noTask.err().contains("No task instance 'ghost'"), noTask.err());

    CliRun unconfirmed = CliRun.of(concat(new String[] {"delete", "--key", "shape"}, at));
    assertEquals(1, unconfirmed.exitCode(), "no terminal, no --yes");
    assertTrue(unconfirmed.err().contains("Pass --yes"), unconfirmed.err());
    assertEquals(0, CliRun.of(concat(new String[] {"get", "--key", "shape"}, at)).exitCode(), "still there");

    assertEquals(0, CliRun.of(concat(new String[] {"delete", "--key", "shape", "--yes"}, at)).exitCode());
    assertEquals(1, CliRun.of(concat(new String[] {"get", "--key", "shape"}, at)).exitCode());
    CliRun clear = CliRun.of("delete", "--url", url, "--dag", "etl", "--run", "r1", "--task", "fan", "--yes");
    assertEquals(0, clear.exitCode(), clear.err());
    assertTrue(clear.err().contains("deleted 3 XComs"), clear.err());
    CliRun nothing = CliRun.of("delete", "--url", url, "--dag", "etl", "--run", "r1", "--task", "fan", "--yes");
    assertEquals(1, nothing.exitCode(), "nothing left to delete is exit 1, as for get");
    assertEquals("xcomdb: No XComs of task 'fan' in run 'r1' of DAG 'etl'; nothing deleted.", nothing.err().strip());
  }

  @AirflowDbTest(fixtures = AirflowSchemaFixture.AIRFLOW_2_10)
  void getReportsAnUndecodableValueAndExits1(AirflowDb db) {
    FixtureRows rows = new FixtureRows(db);
    int run = rows.dagRun("etl", "r1", Instant.parse("2026-10-01T00:00:00Z"));
    rows.taskInstance("etl", "r1", "extract", -1, "success");
    rows.xcomBytes(run, "etl", "r1", "extract", -1, "broken", new byte[] {'{', '"', 'a', (byte) 0xff}, Instant.now());
    rows.xcomBytes(run, "etl", "r1", "extract", -1, "pickled",
        new byte[] {(byte) 0x80, 4, 'K', 7, '.'}, Instant.now());
    CliRun broken = CliRun.of("get", "--url", db.jdbcUrl(), "--dag", "etl", "--run", "r1", "--task", "extract", "--key", "broken");
    assertEquals(1, broken.exitCode());
    assertTrue(broken.err().contains("cannot be decoded"), broken.err());
    CliRun pickled = CliRun.of("get", "--url", db.jdbcUrl(), "--dag", "etl", "--run", "r1", "--task", "extract", "--key", "pickled");
    assertEquals(1, pickled.exitCode());
    assertTrue(pickled.err().contains("--allow-pickle"), pickled.err());
    CliRun allowed = CliRun.of("get", "--url", db.jdbcUrl(), "--dag", "etl", "--run", "r1", "--task", "extract", "--key", "pickled",
        "--allow-pickle", "--json");
    assertEquals(0, allowed.exitCode(), allowed.err());
    assertEquals("7", allowed.out().trim());
  }

  @Test
  void decodeAndEncodeAFile(@TempDir Path dir) throws Exception {
    Path stored = dir.resolve("value.bin");
    Files.write(stored, "{\"__classname__\": \"builtins.set\", \"__version__\": 1, \"__data__\": [1, NaN]}".getBytes(StandardCharsets.UTF_8));
    CliRun decoded = CliRun.of("decode", stored.toString(), "--json");
    assertEquals(0, decoded.exitCode(), decoded.err());
    assertEquals(JSON.readTree("{\"$set\": [1, {\"$float\": \"NaN\"}]}"), JSON.readTree(decoded.out()));

    Files.write(stored, new byte[] {(byte) 0xc3, 0x28});
    CliRun bad = CliRun.of("decode", stored.toString());
    assertEquals(1, bad.exitCode());
    assertTrue(bad.err().startsWith("xcomdb: cannot decode"), bad.err());

    assertArrayEquals("{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [1, \"a\"]}".getBytes(StandardCharsets.UTF_8),
        encode("{\"$tuple\": [1, \"a\"]}", "json-2x"));
    // numpy.float64: 3.1 keeps serde's envelope, 3.0 wrote a plain float
    String np = "{\"$numpy\": {\"dtype\": \"float64\", \"value\": {\"$float\": \"2.5\"}}}";
    assertEquals("{\"__classname__\": \"numpy.float64\", \"__version__\": 1, \"__data__\": 2.5}",
        new String(encode(np, "json-3x"), StandardCharsets.UTF_8));
    assertEquals("2.5", new String(encode(np, "json-3x", "--airflow", "3.0"), StandardCharsets.UTF_8));
  }

  private static byte[] encode(String canonical, String... args) throws Exception {
    InputStream stdin = System.in;
    java.io.PrintStream stdout = System.out;
    java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
    try {
      System.setIn(new ByteArrayInputStream(canonical.getBytes(StandardCharsets.UTF_8)));
      System.setOut(new java.io.PrintStream(captured, true));
      int code = Main.run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true),
          concat(new String[] {"encode", "--format"}, args));
      assertEquals(0, code);
    } finally {
      System.setIn(stdin);
      System.setOut(stdout);
    }
    return captured.toByteArray();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
