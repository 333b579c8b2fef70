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
 *
 * <p>Large values get a longer warm-up: at ~100 decodes a second, the JIT needs ~10 s of them to finish
 * compiling the decoder's outer loops (measured on 2 cores), where small values are at full speed after 4 s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class CodecBench {
    private static final DecodeOptions JSON = DecodeOptions.defaults();
    private static final DecodeOptions PICKLE = DecodeOptions.defaults().withAllowPickle(true);

    /** ~100 B values. */
    @State(Scope.Benchmark)
    public static class Small extends Input {
        @Param({"json3-small", "json2-small", "pickle4-small"})
        public String input;

        @Setup(Level.Trial)
        public void load() throws IOException {
            load(input);
        }
    }

    /** ~1 MB values. */
    @State(Scope.Benchmark)
    public static class Large extends Input {
        @Param({"json3-large", "json2-large", "pickle4-large"})
        public String input;

        @Setup(Level.Trial)
        public void load() throws IOException {
            load(input);
        }
    }

    @Benchmark
    @Warmup(iterations = 3, time = 2)
    public Decoded small(Small in) {
        return in.decode();
    }

    @Benchmark
    @Warmup(iterations = 8, time = 2)
    public Decoded large(Large in) {
        return in.decode();
    }

    /** One input file ({@code <form>-<size>} in {@code target/bench-inputs}, or {@code -Dxcomdb.bench.inputs}). */
    abstract static class Input {
        private String text;
        private byte[] raw;
        private DecodeOptions options;

        final Decoded decode() {
            return text != null ? XComCodec.decodeJson(text, options) : XComCodec.decode(raw, options);
        }

        final void load(String input) throws IOException {
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
    }
}
