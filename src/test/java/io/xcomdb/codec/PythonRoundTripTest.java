package io.xcomdb.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.xcomdb.codec.internal.PyFloat;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * CPython reads what xcomdb writes: every golden value is re-encoded by Java (2.x bytes, 3.x text, protocol 4
 * pickle where the type is supported) and decoded by tools/golden/roundtrip.py, which must arrive at the same
 * canonical view; plus random doubles whose Java-made repr CPython must reproduce. Skipped, with a message,
 * when python3 or the tools directory is missing.
 */
class PythonRoundTripTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DecodeOptions PICKLE = DecodeOptions.defaults().withAllowPickle(true);

    @Test
    void cpythonDecodesWhatJavaEncodes() throws Exception {
        Path script = findScript();
        Assumptions.assumeTrue(script != null, "tools/golden/roundtrip.py not found: the CPython round trip did not run (set XCOMDB_PROJECT_DIR to the project directory)");
        Assumptions.assumeTrue(python() != null, "python3 not on PATH: the CPython round trip did not run (install python3, e.g. apt-get install python3)");

        List<ObjectNode> rows = new ArrayList<>();
        for (String file : List.of("airflow2-json.jsonl", "airflow3-json.jsonl", "airflow30-json.jsonl")) {
            for (JsonNode v : GoldenVectors.load(file)) {
                Decoded d = file.startsWith("airflow2") ? XComCodec.decode(v.get("raw").asText().getBytes(StandardCharsets.UTF_8))
                        : XComCodec.decodeJson(v.get("raw").asText());
                addJson(rows, v.get("id").asText(), d.value());
            }
        }
        for (JsonNode v : GoldenVectors.load("pickle-cpython311.jsonl")) {
            Object value = XComCodec.decode(Base64.getDecoder().decode(v.get("pickle").asText()), PICKLE).value();
            addJson(rows, v.get("id").asText(), value);
            try {
                byte[] p = XComCodec.encodePickle(value);
                ObjectNode r = row(v.get("id").asText() + "/pickle", "pickle");
                r.put("data", Base64.getEncoder().encodeToString(p));
                r.put("canonical", CanonicalJson.write(value));
                rows.add(r);
            } catch (XComEncodingException e) {
                // not a pickle-writable type (numpy, objects)
            }
        }
        Random rnd = new Random(2024);
        for (int i = 0; i < 5000; i++) {
            long bits = i % 3 == 0 ? rnd.nextLong() : Double.doubleToRawLongBits(rnd.nextDouble() * Math.pow(10, rnd.nextInt(40) - 20));
            double d = Double.longBitsToDouble(bits);
            ObjectNode r = row("float/" + i, "float");
            r.put("bits", bits);
            r.put("repr", PyFloat.repr(d));
            rows.add(r);
        }

        List<JsonNode> results = run(script, rows);
        assertEquals(rows.size(), results.size());
        List<String> failures = new ArrayList<>();
        for (JsonNode r : results) {
            if (!r.get("ok").asBoolean()) {
                failures.add(r.get("id").asText() + ": " + r.get("detail").asText());
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " mismatches, first: " + failures.subList(0, Math.min(10, failures.size())));
        assertTrue(rows.size() > 6000);
    }

    /** Encodes for each Airflow release where Airflow accepts the value; the expected view is Java's own decode. */
    private static void addJson(List<ObjectNode> rows, String id, Object value) {
        addJson(rows, id + "/2", "airflow2", () -> XComCodec.encodeAirflow2Text(value),
                text -> XComCodec.decode(text.getBytes(StandardCharsets.UTF_8)));
        addJson(rows, id + "/3", "airflow3", () -> XComCodec.encodeAirflow3(value), XComCodec::decodeJson);
        addJson(rows, id + "/3.0", "airflow30", () -> XComCodec.encodeAirflow30(value), XComCodec::decodeJson);
    }

    private static void addJson(List<ObjectNode> rows, String id, String kind, Supplier<String> encode,
            Function<String, Decoded> decode) {
        String text;
        try {
            text = encode.get();
        } catch (XComEncodingException e) {
            return; // that Airflow release refuses it too (bytes, objects, ...)
        }
        ObjectNode r = row(id, kind);
        r.put("data", text);
        r.put("canonical", decode.apply(text).canonicalJson());
        rows.add(r);
    }

    private static ObjectNode row(String id, String kind) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("id", id);
        r.put("kind", kind);
        return r;
    }

    private static List<JsonNode> run(Path script, List<ObjectNode> rows) throws Exception {
        // input through a file: writing a pipe while python3 answers on another would deadlock
        Path input = Files.createTempFile("xcomdb-roundtrip", ".jsonl");
        try (Writer w = Files.newBufferedWriter(input, StandardCharsets.UTF_8)) {
            for (ObjectNode r : rows) {
                w.write(MAPPER.writeValueAsString(r));
                w.write('\n');
            }
        }
        ProcessBuilder pb = new ProcessBuilder(python(), script.toString());
        pb.environment().put("TZ", "UTC");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.redirectInput(input.toFile());
        Process p = pb.start();
        try {
            List<JsonNode> out = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    out.add(MAPPER.readTree(line));
                }
            }
            assertTrue(p.waitFor(5, TimeUnit.MINUTES));
            assertEquals(0, p.exitValue());
            return out;
        } finally {
            Files.deleteIfExists(input);
            p.destroy();
        }
    }

    private static String python() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, "python3");
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    private static Path findScript() {
        List<Path> roots = new ArrayList<>();
        String env = System.getenv("XCOMDB_PROJECT_DIR");
        if (env != null) {
            roots.add(Path.of(env));
        }
        for (Path p = Path.of(System.getProperty("user.dir")).toAbsolutePath(); p != null; p = p.getParent()) {
            roots.add(p);
        }
        for (Path root : roots) {
            Path s = root.resolve("tools/golden/roundtrip.py");
            if (Files.isRegularFile(s)) {
                return s;
            }
        }
        return null;
    }
}
