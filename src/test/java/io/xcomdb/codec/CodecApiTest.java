package io.xcomdb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The public API beyond the golden vectors: detection, options, Java conveniences, conversion. */
class CodecApiTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void detectsTheFormPerValue() {
        assertEquals(StoredForm.SQL_NULL, XComCodec.decode(null).form());
        assertNull(XComCodec.decode(null).value());
        assertEquals(StoredForm.AIRFLOW2_JSON_BYTES, XComCodec.decode(ascii("null")).form());
        // protocol 0 pickles are text; they are tried only after JSON fails
        DecodeOptions pickle = DecodeOptions.defaults().withAllowPickle(true);
        Decoded p0 = XComCodec.decode(ascii("I42\n."), pickle);
        assertEquals(StoredForm.PICKLE, p0.form());
        assertEquals(42L, p0.value());
        Decoded off = XComCodec.decode(ascii("I42\n."));
        assertEquals(StoredForm.PICKLE, off.form());
        assertTrue(off.undecodable().orElseThrow().reason().contains("disabled"));
        // NaN is JSON to Python's json module
        assertTrue(Double.isNaN((Double) XComCodec.decode(ascii("NaN")).value()));
        // a forced form does not detect
        Decoded forced = XComCodec.decode(ascii("[1, 2]"), StoredForm.PICKLE, pickle);
        assertTrue(forced.isUndecodable());
        assertEquals(StoredForm.PICKLE, forced.form());
        assertEquals(List.of(1L, 2L), XComCodec.decode(ascii("[1, 2]"), StoredForm.AIRFLOW2_JSON_BYTES,
                DecodeOptions.defaults()).value());
    }

    @Test
    void restStringsAreReportedAndDecodedOnRequest() {
        String stored = "\"{\\\"__classname__\\\": \\\"builtins.tuple\\\", \\\"__version__\\\": 1, \\\"__data__\\\": [1, 2]}\"";
        Decoded asWorker = XComCodec.decodeJson(stored);
        assertEquals(StoredForm.REST_JSON_STRING, asWorker.form());
        assertInstanceOf(String.class, asWorker.value());
        Decoded asApi = XComCodec.decodeJson(stored, DecodeOptions.defaults().withDecodeRestStrings(true));
        assertEquals(PyTuple.of(1L, 2L), asApi.value());
        assertEquals(StoredForm.AIRFLOW3_JSON, XComCodec.decodeJson("\"just text\"").form());
        assertEquals(stored, new String(XComCodec.encode(PyTuple.of(1L, 2L), StoredForm.REST_JSON_STRING),
                StandardCharsets.UTF_8));
    }

    @Test
    void reportsClassesAgainstTheAllowList() {
        String json = "[{\"__classname__\": \"dags.my.Point\", \"__version__\": 0, \"__data__\": {\"x\": 1}},"
                + " {\"__classname__\": \"airflow.models.Foo\", \"__version__\": 1, \"__data__\": null},"
                + " {\"__classname__\": \"builtins.set\", \"__version__\": 1, \"__data__\": [1]}]";
        Decoded d = XComCodec.decode(ascii(json));
        assertEquals(Set.of("dags.my.Point", "airflow.models.Foo", "builtins.set"), d.classNames());
        assertEquals(Set.of("dags.my.Point"), d.notAllowedClasses());
        Decoded allowed = XComCodec.decode(ascii(json), DecodeOptions.defaults()
                .withAllowedClasses(List.of("dags.*.P?int"), List.of()));
        assertEquals(Set.of("airflow.models.Foo"), allowed.notAllowedClasses());
        Decoded regexp = XComCodec.decode(ascii(json), DecodeOptions.defaults()
                .withAllowedClasses(List.of(), List.of("dags\\.", "airflow")));
        assertTrue(regexp.notAllowedClasses().isEmpty());
        SerdeObject point = assertInstanceOf(SerdeObject.class, ((List<?>) d.value()).get(0));
        assertEquals(Map.of("x", 1L), point.data());
    }

    @Test
    void recognisesObjectStorageReferences() {
        DecodeOptions o = DecodeOptions.defaults().withObjectStorageBasePath("s3://aws_default@bucket/xcom");
        String ref = "\"s3://aws_default@bucket/xcom/dag/manual__2024-01-02T00:00:00+00:00/task/1f0c.gz\"";
        assertEquals(Optional.of(ref.substring(1, ref.length() - 1)), XComCodec.decode(ascii(ref), o).objectStorageReference());
        assertEquals(Optional.empty(), XComCodec.decode(ascii("\"s3://bucket/other/x\""), o).objectStorageReference());
        assertEquals(Optional.empty(), XComCodec.decode(ascii("\"bucket/xcom/x\""), o).objectStorageReference());
        assertEquals(Optional.empty(), XComCodec.decode(ascii(ref)).objectStorageReference());
        assertTrue(XComCodec.decodeJson(ref, o).objectStorageReference().isPresent());
    }

    @Test
    void recognisesDataFrames() {
        String hex = "50415231" + "00".repeat(10) + "50415231";
        Decoded d = XComCodec.decode(ascii("{\"__classname__\": \"pandas.core.frame.DataFrame\", \"__version__\": 1, "
                + "\"__data__\": \"" + hex + "\"}"));
        PandasDataFrame df = assertInstanceOf(PandasDataFrame.class, d.value());
        assertEquals(18, df.size());
        assertTrue(df.looksLikeParquet());
        assertEquals("{\"__classname__\": \"pandas.core.frame.DataFrame\", \"__version__\": 1, \"__data__\": \""
                + hex + "\"}", XComCodec.encodeAirflow2Text(df));
        assertEquals(df, CanonicalJson.read(d.canonicalJson()));
    }

    @Test
    void naiveDatetimesFollowTheWritersZone() {
        String json = "{\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": "
                + "{\"timestamp\": 1704164645.5, \"tz\": null}}";
        PyDateTime utc = (PyDateTime) XComCodec.decode(ascii(json)).value();
        assertEquals(LocalDateTime.parse("2024-01-02T03:04:05.5"), utc.local());
        assertFalse(utc.isAware());
        PyDateTime berlin = (PyDateTime) XComCodec.decode(ascii(json),
                DecodeOptions.defaults().withNaiveTimeZone(ZoneId.of("Europe/Berlin"))).value();
        assertEquals(LocalDateTime.parse("2024-01-02T04:04:05.5"), berlin.local());
    }

    @Test
    void encodesJavaConveniencesAsAirflowWould() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("n", 7);
        v.put("f", 0.1f);
        v.put("big", BigInteger.TEN.pow(19));
        v.put("d", LocalDate.of(2024, 1, 31));
        v.put("when", OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.ofHours(2)));
        v.put("zoned", ZonedDateTime.of(2024, 7, 1, 0, 0, 0, 0, ZoneId.of("Europe/Berlin")));
        v.put("utc", Instant.parse("2024-01-01T00:00:00Z"));
        v.put("naive", LocalDateTime.of(2024, 1, 1, 0, 0));
        v.put("span", Duration.ofMillis(1500));
        v.put("set", new LinkedHashSet<>(List.of(3, 1)));
        v.put("tuple", PyTuple.of(1, "a"));
        v.put("dec", new BigDecimal("2.50"));
        String text = XComCodec.encodeAirflow2Text(v);
        assertEquals("{\"n\": 7, \"f\": 0.10000000149011612, \"big\": 10000000000000000000, "
                + "\"d\": {\"__classname__\": \"datetime.date\", \"__version__\": 2, \"__data__\": \"2024-01-31\"}, "
                + "\"when\": {\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1704157445.0, "
                + "\"tz\": {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [7200, \"pendulum.tz.timezone.FixedTimezone\", 1, true]}}}, "
                + "\"zoned\": {\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1719784800.0, "
                + "\"tz\": {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [\"Europe/Berlin\", \"pendulum.tz.timezone.Timezone\", 1, true]}}}, "
                + "\"utc\": {\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1704067200.0, "
                + "\"tz\": {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [\"UTC\", \"pendulum.tz.timezone.Timezone\", 1, true]}}}, "
                + "\"naive\": {\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 1704067200.0, \"tz\": null}}, "
                + "\"span\": {\"__classname__\": \"datetime.timedelta\", \"__version__\": 2, \"__data__\": 1.5}, "
                + "\"set\": {\"__classname__\": \"builtins.set\", \"__version__\": 1, \"__data__\": [3, 1]}, "
                + "\"tuple\": [1, \"a\"], "
                + "\"dec\": {\"__classname__\": \"decimal.Decimal\", \"__version__\": 1, \"__data__\": 2.5}}", text);
        // 3.x keeps nested tuples
        assertTrue(XComCodec.encodeAirflow3(v).contains("\"tuple\": {\"__classname__\": \"builtins.tuple\""));
        // and it all reads back
        Decoded back = XComCodec.decode(text.getBytes(StandardCharsets.US_ASCII));
        assertFalse(back.isUndecodable());
        assertTrue(back.warnings().isEmpty());
        assertEquals(OffsetDateTime.parse("2024-01-02T03:04:05+02:00"),
                ((PyDateTime) ((Map<?, ?>) back.value()).get("when")).toOffsetDateTime());
    }

    @Test
    void refusesWhatAirflowRefuses() {
        assertEquals("TypeError: Object of type bytes is not JSON serializable",
                assertThrows(XComEncodingException.class, () -> XComCodec.encodeAirflow2(new byte[] {1})).getMessage());
        assertEquals("TypeError: Object of type tuple is not JSON serializable", // serde fails inside a top-level tuple
                assertThrows(XComEncodingException.class, () -> XComCodec.encodeAirflow2(PyTuple.of(new PyBytes(new byte[0]))))
                        .getMessage());
        assertEquals("ValueError: Out of range float values are not JSON compliant",
                assertThrows(XComEncodingException.class, () -> XComCodec.encodeAirflow3(List.of(Double.NaN))).getMessage());
        assertEquals("NaN", XComCodec.encodeAirflow2Text(Double.NaN));
        XComEncodingException bool = assertThrows(XComEncodingException.class,
                () -> XComCodec.encodeAirflow2(new NumpyScalar("bool", false)));
        assertTrue(bool.getMessage().contains("bool(np)"));
        assertEquals("{\"__classname__\": \"numpy.bool_\", \"__version__\": 1, \"__data__\": false}",
                XComCodec.encodeAirflow3(new NumpyScalar("bool", false)));
        assertThrows(XComEncodingException.class, () -> XComCodec.encodeAirflow3(new PyObject("x.Y", List.of(),
                Map.of(), null, List.of(), List.of())));
    }

    @Test
    void undecodableValuesHaveACanonicalViewToo() {
        Decoded d = XComCodec.decode(new byte[] {(byte) 0x80, 4, 'N', '.'});
        String canonical = d.canonicalJson();
        assertTrue(canonical.startsWith("{\"$undecodable\":{\"form\":\"PICKLE\""));
        assertEquals(d.value(), CanonicalJson.read(canonical));
        assertThrows(IllegalArgumentException.class, () -> XComValues.convert(d.value(), String.class));
    }

    record Point(int x, double y) {
    }

    record Run(String name, LocalDate day, OffsetDateTime at, List<Point> points, Duration took, long big) {
    }

    @Test
    void convertsToTheCallersTypes() {
        String json = "{\"name\": \"r\", \"day\": {\"__classname__\": \"datetime.date\", \"__version__\": 2, \"__data__\": \"2024-02-29\"},"
                + " \"at\": {\"__classname__\": \"datetime.datetime\", \"__version__\": 2, \"__data__\": {\"timestamp\": 0.5, "
                + "\"tz\": {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [\"Europe/Berlin\", \"pendulum.tz.timezone.Timezone\", 1, true]}}},"
                + " \"points\": [{\"__classname__\": \"dags.Point\", \"__version__\": 0, \"__data__\": {\"x\": 1, \"y\": 2}},"
                + " {\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [3, 4.5]}],"
                + " \"took\": {\"__classname__\": \"datetime.timedelta\", \"__version__\": 2, \"__data__\": 90.25}, \"big\": 3}";
        Decoded d = XComCodec.decode(ascii(json));
        assertThrows(IllegalArgumentException.class, () -> d.as(Run.class)); // a tuple is an array, not a Point
        Map<String, Object> fixed = new LinkedHashMap<>(XComValues.convert(d.value(), new TypeReference<Map<String, Object>>() { }));
        assertEquals(List.of(3L, 4.5), ((List<?>) fixed.get("points")).get(1));
        String json2 = json.replace("{\"__classname__\": \"builtins.tuple\", \"__version__\": 1, \"__data__\": [3, 4.5]}",
                "{\"x\": 3, \"y\": 4.5}");
        Run run = XComCodec.decode(ascii(json2)).as(Run.class);
        assertEquals(new Run("r", LocalDate.of(2024, 2, 29), OffsetDateTime.parse("1970-01-01T01:00:00.5+01:00"),
                List.of(new Point(1, 2.0), new Point(3, 4.5)), Duration.ofMillis(90_250), 3L), run);
        assertEquals(42, XComValues.convert(42L, Integer.class));
        assertEquals(42.0, XComValues.convert(42L, Double.class));
        assertEquals(Instant.EPOCH.plusMillis(500), XComValues.convert(run.at(), Instant.class));
        assertEquals(List.of(1, 2), XComValues.convert(PyTuple.of(1L, 2L), new TypeReference<List<Integer>>() { }));
        assertEquals(Set.of("a"), XComValues.convert(PySet.of("a"), new TypeReference<Set<String>>() { }));
        assertEquals(LocalDateTime.parse("2024-01-01T00:00"),
                XComValues.convert(PyDateTime.naive(LocalDateTime.parse("2024-01-01T00:00")), LocalDateTime.class));
        assertThrows(IllegalArgumentException.class, () -> XComValues.convert(BigInteger.TEN.pow(30), Long.class));
        PyTuple same = PyTuple.of(1L);
        assertTrue(same == XComValues.convert(same, PyTuple.class));
    }
}
