package io.xcomdb.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.math.BigDecimal;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DataFrame XComs read into rows: Parquet files written by tools/parquet/generate.mjs (arrow-rs, with pyarrow's
 * "pandas" metadata), wrapped in Airflow's serde envelope, decoded as 2.x bytes and as 3.x JSON.
 */
class DataFrameRowsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<JsonNode> vectors() {
        return GoldenVectors.load("dataframes.jsonl").stream();
    }

    static Stream<JsonNode> readableVectors() {
        return vectors().filter(v -> v.get("readable").asBoolean() && v.has("airflow"));
    }

    private static byte[] resource(String file) {
        try (InputStream in = DataFrameRowsTest.class.getResourceAsStream("/codec/dataframes/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode vector(String id) {
        return vectors().filter(v -> v.get("id").asText().equals(id)).findFirst().orElseThrow();
    }

    /** Both ways Airflow stores the envelope: 2.x JSON text as bytes, 3.x a JSON column. */
    private static List<PandasDataFrame> decodeBothWays(String envelope) {
        Decoded two = XComCodec.decode(envelope.getBytes(StandardCharsets.UTF_8));
        Decoded three = XComCodec.decodeJson(envelope);
        assertEquals(StoredForm.AIRFLOW2_JSON_BYTES, two.form());
        assertEquals(StoredForm.AIRFLOW3_JSON, three.form());
        return List.of(assertInstanceOf(PandasDataFrame.class, two.value()),
                assertInstanceOf(PandasDataFrame.class, three.value()));
    }

    /** Airflow 3.3.1+ with pandas 3 records the class as pandas.DataFrame: the same frame, read the same way. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("readableVectors")
    void thePandas3ClassNameReadsTheSameFrame(JsonNode v) {
        String airflow = v.get("airflow").asText();
        String pandas3 = airflow.replace("\"pandas.core.frame.DataFrame\"", "\"pandas.DataFrame\"");
        assertNotEquals(airflow, pandas3, "the vector names pandas.core.frame.DataFrame");
        for (PandasDataFrame df : decodeBothWays(pandas3)) {
            assertArrayEquals(resource(v.get("file").asText()), df.parquet());
            assertEquals(v.get("rows").asInt(), df.table().rows().size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readableVectors")
    void decodesTypedFramesToRows(JsonNode v) {
        for (PandasDataFrame df : decodeBothWays(v.get("airflow").asText())) {
            assertArrayEquals(resource(v.get("file").asText()), df.parquet());
            DataFrameTable t = df.table();
            JsonNode expected = v.get("columns");
            assertEquals(expected.size(), t.columns().size());
            assertEquals(v.get("rows").asInt(), t.rows().size());
            for (int c = 0; c < expected.size(); c++) {
                JsonNode e = expected.get(c);
                DataFrameColumn col = t.columns().get(c);
                assertEquals(GoldenVectors.text(e, "name"), col.name(), "name");
                assertEquals(e.get("field").asText(), col.field());
                assertEquals(e.get("type").asText(), col.type(), col.field());
                assertEquals(e.get("pandasType").asText(), col.pandasType(), col.field());
                assertEquals(e.get("index").asBoolean(), col.index(), col.field());
                List<Object> values = t.column(col.field());
                for (int r = 0; r < values.size(); r++) {
                    assertValue(col.type(), e.get("values").get(r), values.get(r), col.field() + "[" + r + "]");
                }
            }
            assertEquals(t.columns(), df.columns(), "the footer-only read agrees");
        }
    }

    /** The expected values are JSON; the column type says which Java value they stand for. */
    private static void assertValue(String type, JsonNode e, Object actual, String where) {
        if (e.isNull()) {
            assertNull(actual, where);
            return;
        }
        Object want;
        if (type.equals("int64")) {
            want = Long.parseLong(e.asText());
        } else if (type.equals("double")) {
            want = e.isTextual() ? Double.parseDouble(e.asText()) : e.asDouble();
        } else if (type.equals("string")) {
            want = e.asText();
        } else if (type.equals("bool")) {
            want = e.asBoolean();
        } else if (type.startsWith("timestamp[") && type.contains("tz=")) {
            want = Instant.parse(e.asText());
        } else if (type.startsWith("timestamp[")) {
            want = LocalDateTime.parse(e.asText().replace("Z", ""));
        } else if (type.equals("date32[day]")) {
            want = LocalDate.parse(e.asText());
        } else if (type.startsWith("decimal128(")) {
            want = new BigDecimal(e.asText());
        } else {
            throw new AssertionError("no expectation for " + type);
        }
        // Double.equals tells NaN and -0.0 apart, as it should here
        assertEquals(want, actual, where);
    }

    @Test
    void timezonesAndTheStoredIndexComeFromThePandasMetadata() {
        PandasDataFrame df = new PandasDataFrame(resource("typed-snappy.parquet"));
        List<DataFrameColumn> cols = df.columns();
        DataFrameColumn berlin = cols.stream().filter(c -> c.field().equals("at_berlin")).findFirst().orElseThrow();
        assertEquals("Europe/Berlin", berlin.timezone());
        assertEquals("datetimetz", berlin.pandasType());
        DataFrameColumn index = cols.get(cols.size() - 1);
        assertEquals(new DataFrameColumn(null, "__index_level_0__", "int64", "int64", true, null), index);
        assertEquals(List.of(10L, 20L, 30L, 40L, 50L), df.table().column("__index_level_0__"));
        assertNull(df.table().rangeIndex());
        assertEquals(List.of("count", "price"), df.table().rowMaps().get(0).keySet().stream().limit(2).toList());
        assertThrows(IllegalArgumentException.class, () -> df.table().column("nope"));
    }

    @Test
    void aDefaultRangeIndexIsReportedNotInvented() {
        PandasDataFrame df = new PandasDataFrame(resource("range-index-snappy.parquet"));
        DataFrameTable t = df.table();
        assertEquals(new DataFrameTable.RangeIndex(null, 0, 3, 1), t.rangeIndex());
        assertEquals(List.of("city", "temp"), t.columns().stream().map(DataFrameColumn::field).toList());
        assertFalse(t.columns().stream().anyMatch(DataFrameColumn::index));
        assertEquals(Arrays.asList("Berlin", 21.5), t.rows().get(0));
        assertEquals(Arrays.asList(null, Double.NaN), t.rows().get(2));
    }

    @Test
    void gzipIsRecognisedAndRefusedClearly() {
        JsonNode v = vector("typed-gzip");
        for (PandasDataFrame df : decodeBothWays(v.get("airflow").asText())) {
            assertTrue(df.looksLikeParquet());
            assertEquals(v.get("size").asInt(), df.size());
            assertEquals(v.get("columns").size(), df.columns().size(), "the footer is not compressed");
            DataFrameReadException e = assertThrows(DataFrameReadException.class, df::table);
            assertTrue(e.getMessage().contains("GZIP") && e.getMessage().contains("parquet-floor")
                    && e.getMessage().contains("PandasDataFrame.parquet()"), e.getMessage());
            assertThrows(DataFrameReadException.class, df::rows);
        }
    }

    @Test
    void aBigFrameInSeveralRowGroupsReadsCompletely() {
        JsonNode v = vector("big-snappy");
        byte[] parquet = resource(v.get("file").asText());
        String envelope = "{\"__classname__\": \"pandas.core.frame.DataFrame\", \"__version__\": 1, \"__data__\": \""
                + HexFormat.of().formatHex(parquet) + "\"}";
        for (PandasDataFrame df : decodeBothWays(envelope)) {
            DataFrameTable t = df.table();
            int n = v.get("rows").asInt();
            assertEquals(n, t.rows().size());
            assertEquals(new DataFrameTable.RangeIndex(null, 0, n, 1), t.rangeIndex());
            String[] labels = {"alpha", "beta", "gamma", null};
            for (int i = 0; i < n; i++) {
                List<Object> row = t.rows().get(i);
                assertEquals(7L * i - 1000, row.get(0));
                assertEquals(i / 8.0, row.get(1));
                assertEquals(labels[i % 4], row.get(2));
                assertEquals(Instant.ofEpochSecond(1_700_000_000L).plusNanos(i * 1_000_000_001L), row.get(3));
            }
            assertTrue(df.table() == t, "read once, then kept");
        }
    }

    @Test
    void damagedParquetNeverBreaksDecodeAndFailsClearly() {
        byte[] good = resource("typed-snappy.parquet");
        List<byte[]> hostile = new ArrayList<>();
        hostile.add(new byte[0]);
        hostile.add("PAR1".getBytes(StandardCharsets.US_ASCII));
        hostile.add("PAR1PAR1".getBytes(StandardCharsets.US_ASCII));
        for (int cut : new int[] {1, 8, good.length / 3, good.length / 2, good.length - 9, good.length - 1}) {
            hostile.add(Arrays.copyOf(good, cut));
            hostile.add(Arrays.copyOfRange(good, cut, good.length));
        }
        Random random = new Random(42);
        for (int i = 0; i < 20; i++) {
            byte[] junk = new byte[random.nextInt(4096)];
            random.nextBytes(junk);
            hostile.add(junk);
            byte[] framed = junk.clone();
            if (framed.length >= 8) {
                System.arraycopy("PAR1".getBytes(StandardCharsets.US_ASCII), 0, framed, 0, 4);
                System.arraycopy("PAR1".getBytes(StandardCharsets.US_ASCII), 0, framed, framed.length - 4, 4);
                hostile.add(framed);
            }
        }
        for (byte[] bytes : hostile) {
            String envelope = "{\"__classname__\": \"pandas.core.frame.DataFrame\", \"__version__\": 1, \"__data__\": \""
                    + HexFormat.of().formatHex(bytes) + "\"}";
            for (PandasDataFrame df : decodeBothWays(envelope)) {
                DataFrameReadException e = assertThrows(DataFrameReadException.class, df::table);
                assertTrue(e.getMessage().startsWith("the DataFrame's bytes are not a Parquet file"), e.getMessage());
                try {
                    // a file cut at the front still has its footer
                    assertFalse(df.columns().isEmpty());
                } catch (DataFrameReadException footer) {
                    assertTrue(footer.getMessage().startsWith("the DataFrame's bytes are not a Parquet file"));
                }
            }
        }
    }

    @Test
    void flippedBytesEitherReadOrFailWithTheDocumentedException() {
        byte[] good = resource("typed-snappy.parquet");
        Random random = new Random(7);
        int failures = 0;
        for (int i = 0; i < 400; i++) {
            byte[] bad = good.clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
            }
            PandasDataFrame df = new PandasDataFrame(bad);
            try {
                DataFrameTable t = df.table();
                assertEquals(t.columns().size(), t.rows().isEmpty() ? t.columns().size() : t.rows().get(0).size());
            } catch (DataFrameReadException e) {
                failures++;
                assertFalse(e.getMessage().isBlank());
            } catch (RuntimeException | Error e) {
                fail("mutation " + i + " escaped as " + e, e);
            }
        }
        assertTrue(failures > 0, "some mutations must be refused");
    }

    @Test
    void theCanonicalViewKeepsItsFormAndAddsRowsOnRequest() throws Exception {
        PandasDataFrame df = new PandasDataFrame(resource("range-index-snappy.parquet"));
        JsonNode plain = JSON.readTree(CanonicalJson.write(df)).get("$dataframe");
        assertEquals(List.of("size", "parquet"), fieldNames(plain), "the default view is unchanged");

        List<String> problems = new ArrayList<>();
        String text = CanonicalJson.writeWithDataFrameRows(List.of(df), false, problems::add);
        assertEquals(List.of(), problems);
        assertEquals(JSON.readTree("[{\"$dataframe\": {\"size\": " + df.size() + ", \"parquet\": \""
                + java.util.Base64.getEncoder().encodeToString(df.parquet()) + "\", \"columns\": ["
                + "{\"name\": \"city\", \"type\": \"string\"}, {\"name\": \"temp\", \"type\": \"double\"}],"
                + " \"range_index\": {\"name\": null, \"start\": 0, \"stop\": 3, \"step\": 1},"
                + " \"rows\": [[\"Berlin\", {\"$float\": \"21.5\"}], [\"Oslo\", {\"$float\": \"-3.25\"}],"
                + " [null, {\"$float\": \"NaN\"}]]}}]"), JSON.readTree(text));
        assertEquals(List.of(df), CanonicalJson.read(text), "the rows are output only; the frame reads back");
        assertEquals(JSON.readTree(text), JSON.readTree(CanonicalJson.writeWithDataFrameRows(List.of(df), true,
                problems::add)), "pretty is the same value");
    }

    @Test
    void theRowsViewSpellsTimestampsLikePandas() throws Exception {
        PandasDataFrame df = new PandasDataFrame(resource("typed-snappy.parquet"));
        JsonNode frame = JSON.readTree(CanonicalJson.writeWithDataFrameRows(df, false, r -> fail(r))).get("$dataframe");
        JsonNode first = frame.get("rows").get(0);
        assertEquals(JSON.readTree("{\"$timestamp\": \"2024-01-02T03:04:05.123456789+00:00\", \"zone\": \"UTC\"}"),
                first.get(4));
        assertEquals(JSON.readTree("{\"$timestamp\": \"2024-07-01T12:00:00.000001+02:00\", \"zone\": \"Europe/Berlin\"}"),
                first.get(5));
        assertEquals(JSON.readTree("{\"$timestamp\": \"2024-01-02T03:04:05.000000001\"}"), first.get(6));
        assertEquals(JSON.readTree("{\"$date\": \"2024-02-29\"}"), first.get(7));
        assertEquals(JSON.readTree("{\"$decimal\": \"123.45\"}"), first.get(8));
        assertEquals(JSON.readTree("{\"name\": null, \"field\": \"__index_level_0__\", \"type\": \"int64\", \"index\": true}"),
                frame.get("columns").get(10));
        assertEquals("-9223372036854775808", frame.get("rows").get(4).get(0).asText());
    }

    @Test
    void anUnreadableFrameGetsRowsErrorInTheView() throws Exception {
        PandasDataFrame df = new PandasDataFrame(resource("typed-gzip.parquet"));
        List<String> problems = new ArrayList<>();
        JsonNode frame = JSON.readTree(CanonicalJson.writeWithDataFrameRows(df, false, problems::add)).get("$dataframe");
        assertEquals(1, problems.size());
        assertEquals(problems.get(0), frame.get("rows_error").asText());
        assertFalse(frame.has("rows"));
    }

    @Test
    void withoutTheOptionalReaderRowsFailWithWhatToAdd() throws Exception {
        // the production classes and Jackson, without any Parquet jar
        List<URL> urls = new ArrayList<>();
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            if (!entry.contains("parquet") && !entry.contains("test-classes")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        try (URLClassLoader isolated = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            Class<?> frame = isolated.loadClass(PandasDataFrame.class.getName());
            assertFalse((Boolean) frame.getMethod("rowsReadable").invoke(null));
            Object df = frame.getConstructor(byte[].class).newInstance((Object) resource("typed-snappy.parquet"));
            assertEquals(7335, frame.getMethod("size").invoke(df));
            InvocationTargetException e = assertThrows(InvocationTargetException.class,
                    () -> frame.getMethod("table").invoke(df));
            assertEquals(DataFrameReadException.class.getName(), e.getCause().getClass().getName());
            assertTrue(e.getCause().getMessage().contains("blue.strategic.parquet:parquet-floor:2.3"),
                    e.getCause().getMessage());
            // decoding never needs the reader
            Class<?> codec = isolated.loadClass(XComCodec.class.getName());
            Object decoded = codec.getMethod("decodeJson", String.class).invoke(null,
                    vector("typed-snappy").get("airflow").asText());
            Object value = decoded.getClass().getMethod("value").invoke(decoded);
            assertEquals(frame, value.getClass());
        }
        assertTrue(PandasDataFrame.rowsReadable());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
