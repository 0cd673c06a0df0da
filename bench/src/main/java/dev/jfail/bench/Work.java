package dev.jfail.bench;

import dev.jfail.FailPoint;

/**
 * The measured methods: one body, once without a failpoint and once per setting under test, so the
 * only difference between them is the instrumentation.
 */
public final class Work {

    private Work() {
    }

    public static int uninstrumented(int x) {
        return x * 31 + 7;
    }

    @FailPoint("bench_off")
    public static int off(int x) {
        return x * 31 + 7;
    }

    @FailPoint("bench_zero")
    public static int zeroPercent(int x) {
        return x * 31 + 7;
    }

    @FailPoint("bench_rare")
    public static int rare(int x) {
        return x * 31 + 7;
    }

    @FailPoint("bench_half")
    public static int half(int x) {
        return x * 31 + 7;
    }

    @FailPoint("bench_half_shared")
    public static int halfShared(int x) {
        return x * 31 + 7;
    }
}
