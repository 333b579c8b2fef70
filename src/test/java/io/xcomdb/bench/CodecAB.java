package io.xcomdb.bench;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decode throughput of two builds of the codec in one JVM, in short interleaved slices: a change of a few percent
 * shows through the machine's noise, which moves both builds alike within a slice. Not a test: run with
 * {@code bench/codec-ab.sh}. Each build is loaded by its own class loader from its classes directory (the
 * dependencies from the parent class path); rates are decodes per second of wall time.
 *
 * <p>Arguments: {@code A_CLASSES B_CLASSES ROUNDS SECONDS INPUT...}; {@code .json} inputs go through
 * {@code decodeJson(String)}, others through {@code decode(byte[])}, {@code .pkl} with pickles allowed.
 */
public final class CodecAB {
    private static volatile Object sink;

    private CodecAB() {
    }

    public static void main(String[] args) throws Throwable {
        Path[] builds = {Path.of(args[0]), Path.of(args[1])};
        int rounds = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);
        System.out.printf("%-18s %14s %14s %8s %8s %8s%n", "input", "A values/s", "B values/s", "B/A", "q1", "q3");
        for (int k = 4; k < args.length; k++) {
            Path input = Path.of(args[k]);
            byte[] raw = Files.readAllBytes(input);
            boolean text = input.toString().endsWith(".json");
            Object in = text ? new String(raw, StandardCharsets.UTF_8) : raw;
            MethodHandle[] decode = new MethodHandle[2];
            for (int i = 0; i < 2; i++) {
                decode[i] = decoder(builds[i], text, input.toString().endsWith(".pkl"));
            }
            for (int w = 0; w < 6; w++) { // JIT warm-up of both
                rate(decode[0], in, 1.0);
                rate(decode[1], in, 1.0);
            }
            double[][] rates = new double[2][rounds];
            double[] ratios = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < 2; j++) {
                    int i = (r + j) % 2; // alternate which build goes first
                    rates[i][r] = rate(decode[i], in, seconds);
                }
                ratios[r] = rates[1][r] / rates[0][r];
            }
            Arrays.sort(ratios);
            Arrays.sort(rates[0]);
            Arrays.sort(rates[1]);
            System.out.printf("%-18s %,14.0f %,14.0f %7.3fx %7.3fx %7.3fx%n", input.getFileName(),
                    rates[0][rounds / 2], rates[1][rounds / 2], ratios[rounds / 2], ratios[rounds / 4],
                    ratios[3 * rounds / 4]);
        }
    }

    /** {@code XComCodec.decodeJson} or {@code decode} of one build, as {@code (Object input) -> Object}. */
    private static MethodHandle decoder(Path classes, boolean text, boolean pickle) throws Exception {
        ClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, new WithoutXcomdb());
        Class<?> codec = loader.loadClass("io.xcomdb.codec.XComCodec");
        Class<?> optionsType = loader.loadClass("io.xcomdb.codec.DecodeOptions");
        Object options = optionsType.getMethod("defaults").invoke(null);
        if (pickle) {
            options = optionsType.getMethod("withAllowPickle", boolean.class).invoke(options, true);
        }
        Class<?> decoded = loader.loadClass("io.xcomdb.codec.Decoded");
        MethodHandle h = MethodHandles.publicLookup().findStatic(codec, text ? "decodeJson" : "decode",
                MethodType.methodType(decoded, text ? String.class : byte[].class, optionsType));
        return MethodHandles.insertArguments(h, 1, options).asType(MethodType.methodType(Object.class, Object.class));
    }

    /** Decodes per second over about {@code seconds}. */
    private static double rate(MethodHandle decode, Object in, double seconds) throws Throwable {
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long n = 0;
        long now;
        do {
            for (int i = 0; i < 16; i++) {
                sink = (Object) decode.invokeExact(in);
            }
            n += 16;
            now = System.nanoTime();
        } while (now < end);
        return n / ((now - start) / 1e9);
    }

    /**
     * The parent of both builds' loaders: the application class path (dependencies) without xcomdb's own classes,
     * so that each build's {@code io.xcomdb} classes come from its own directory.
     */
    private static final class WithoutXcomdb extends ClassLoader {
        WithoutXcomdb() {
            super(CodecAB.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.xcomdb.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
