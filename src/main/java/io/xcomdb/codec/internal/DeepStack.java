package io.xcomdb.codec.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Runs a recursive walk; if the caller's thread stack is too small for a value nested up to
 * {@code maxDepth} (Python allows about 1000 levels), runs it again on a thread with a large stack. The walks
 * are pure functions of their input, so a retry is safe.
 */
public final class DeepStack {
    private static final long BIG_STACK = 512L << 20;

    private DeepStack() {
    }

    public static <T> T run(Supplier<T> walk) {
        try {
            return walk.get();
        } catch (StackOverflowError e) {
            return onBigStack(walk);
        }
    }

    private static <T> T onBigStack(Supplier<T> walk) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(walk.get());
            } catch (Throwable x) {
                failure.set(x);
            }
        }, "xcomdb-deep-value", BIG_STACK);
        t.setDaemon(true);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Throwable x = failure.get();
        if (x instanceof RuntimeException r) {
            throw r;
        }
        if (x instanceof Error err) {
            throw err;
        }
        return result.get();
    }
}
