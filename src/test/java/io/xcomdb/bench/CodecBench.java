package io.xcomdb.bench;

import io.xcomdb.codec.DecodeOptions;
import io.xcomdb.codec.Decoded;
import io.xcomdb.codec.XComCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode throughput of the value codec on the inputs of {@code bench/codec/make_inputs.py}, the same bytes the
 * CPython side decodes. Not a test: run with {@code bench/codec.sh}, which prints Java and Python side by side.
 *
 * <p>Each case decodes what the database driver hands over: the 3.x JSON column as a {@code String}
 * ({@link XComCodec#decodeJson(String, DecodeOptions)}), 2.x BYTEA bytes and pickles as {@code byte[]}
 * ({@link XComCodec#decode(byte[], DecodeOptions)}, form detection included). Before measuring, the decoded
 * value is checked against the canonical view of what Python decoded from the same bytes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
@State(Scope.Benchmark)
public class CodecBench {
    private static final DecodeOptions JSON = DecodeOptions.defaults();
    private static final DecodeOptions PICKLE = DecodeOptions.defaults().withAllowPickle(true);

    /** {@code <form>-<size>}: a file of {@code target/bench-inputs} (or {@code -Dxcomdb.bench.inputs}). */
    @Param({"json3-small", "json2-small", "pickle4-small", "json3-large", "json2-large", "pickle4-large"})
    public String input;

    private String text;
    private byte[] raw;
    private DecodeOptions options;

    @Setup(Level.Trial)
    public void load() throws IOException {
        Path dir = Path.of(System.getProperty("xcomdb.bench.inputs", "target/bench-inputs"));
        String form = input.substring(0, input.indexOf('-'));
        String ext = switch (form) {
            case "json3" -> ".json";
            case "json2" -> ".bin";
            case "pickle4" -> ".pkl";
            default -> throw new IllegalArgumentException("unknown form in " + input);
        };
        raw = Files.readAllBytes(dir.resolve(input + ext));
        text = form.equals("json3") ? new String(raw, StandardCharsets.UTF_8) : null;
        options = form.equals("pickle4") ? PICKLE : JSON;
        Decoded d = decode();
        if (d.isUndecodable() || !d.warnings().isEmpty()) {
            throw new IllegalStateException(input + ": " + d.undecodable().map(Object::toString).orElse("")
                    + " " + d.warnings());
        }
        String expected = Files.readString(dir.resolve(input + ".canonical.json"), StandardCharsets.UTF_8);
        if (!expected.equals(d.canonicalJson())) {
            throw new IllegalStateException(input + ": Java decodes to a different value than Python");
        }
    }

    @Benchmark
    public Decoded decode() {
        return text != null ? XComCodec.decodeJson(text, options) : XComCodec.decode(raw, options);
    }
}
