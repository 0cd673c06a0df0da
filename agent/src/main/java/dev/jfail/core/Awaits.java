package dev.jfail.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits on a failpoint's counters and held threads. A wait that runs out fails with an
 * {@link AssertionError} saying what it waited for and what it saw instead, including a name no
 * loaded code declares (with the closest declared names): the usual cause of a wait that never ends.
 */
public final class Awaits {

    private Awaits() {
    }

    /**
     * Polls {@code condition} (every 2 ms for the first half second, every 20 ms after) until it holds, at most {@code atMost}; otherwise throws
     * {@code AssertionError("waited 10 s for WHAT; SEEN")}. An interrupt ends the wait with the same
     * error and stays set.
     */
    public static void until(String what, Duration atMost, Supplier<String> seen, BooleanSupplier condition) {
        until(what, atMost, seen, condition, false);
    }

    /**
     * The same for a condition on failpoints' counters and held threads only: it sleeps until a
     * point changes (looking again every {@value #SAFETY_MILLIS} ms all the same), so a long wait costs its JVM
     * nothing, and it wakes at once when the point moves.
     */
    public static void untilPointsChange(String what, Duration atMost, Supplier<String> seen, BooleanSupplier condition) {
        until(what, atMost, seen, condition, true);
    }

    /** How often a wait woken by the points looks again anyway. */
    static final long SAFETY_MILLIS = 250;

    private static void until(String what, Duration atMost, Supplier<String> seen, BooleanSupplier condition, boolean onChange) {
        long start = System.nanoTime();
        long deadline = start + atMost.toNanos();
        if (onChange) {
            PointChanges.startWaiting();
        }
        try {
            while (true) {
                long generation = onChange ? PointChanges.generation() : 0; // before looking: a change after the look wakes the wait
                if (condition.getAsBoolean()) {
                    return;
                }
                long now = System.nanoTime();
                if (now - deadline >= 0 || Thread.currentThread().isInterrupted()) {
                    if (condition.getAsBoolean()) {
                        return;
                    }
                    throw new AssertionError("waited " + seconds(atMost) + " for " + what + "; " + seen.get());
                }
                if (onChange) {
                    PointChanges.awaitAfter(generation, Math.min(deadline - now, TimeUnit.MILLISECONDS.toNanos(SAFETY_MILLIS)));
                } else {
                    // every 2 ms while the steps of a forced ordering follow one another; a wait that lasts looks less often
                    LockSupport.parkNanos(now - start < Patience.BRISK_NANOS ? Patience.POLL_NANOS : Patience.SLOW_POLL_NANOS);
                }
            }
        } finally {
            if (onChange) {
                PointChanges.stopWaiting();
            }
        }
    }

    /** Waits until some action of {@code name} has fired at least {@code times} times since the last reset. */
    public static void fired(FailPointRegistry registry, String name, long times, Duration atMost) {
        String point = FailPointRegistry.canonicalName(name);
        untilPointsChange(point + " to fire " + times + " time(s)", atMost,
                () -> "it fired " + registry.status(point).totalFired() + " time(s) in "
                        + registry.status(point).evaluations() + " hit(s)" + Awaits.context(registry, point),
                () -> registry.status(point).totalFired() >= times);
    }

    /** Waits until {@code name} has been reached (evaluated while armed) at least {@code times} times. */
    public static void reached(FailPointRegistry registry, String name, long times, Duration atMost) {
        String point = FailPointRegistry.canonicalName(name);
        if (registry.get(point).equals("off") && registry.status(point).evaluations() < times) {
            throw new AssertionError(point + " is off, and a point that is off counts nothing: arm it"
                    + " (a counted off such as 2147483647*off only counts) before awaiting its hits"
                    + Awaits.undeclared(registry, point));
        }
        untilPointsChange(point + " to be reached " + times + " time(s)", atMost,
                () -> "it was reached " + registry.status(point).evaluations() + " time(s)" + context(registry, point),
                () -> registry.status(point).evaluations() >= times);
    }

    /** Waits until at least {@code threads} threads are paused in {@code name}. */
    public static void paused(FailPointRegistry registry, String name, int threads, Duration atMost) {
        String point = FailPointRegistry.canonicalName(name);
        untilPointsChange(threads + " thread(s) to be held at " + point, atMost,
                () -> pausedNames(registry, point).size() + " held there " + pausedNames(registry, point)
                        + ", point reached " + registry.status(point).evaluations() + " time(s)" + context(registry, point),
                () -> registry.status(point).paused().size() >= threads);
    }

    /** The names of the threads paused in {@code name} right now. */
    static List<String> pausedNames(FailPointRegistry registry, String name) {
        List<String> names = new ArrayList<>();
        registry.status(name).paused().forEach(t -> names.add(t.threadName()));
        return names;
    }

    /** "; setting S" plus, for a name no loaded code declares, that fact and the closest declared names. */
    static String context(FailPointRegistry registry, String name) {
        return ", setting " + registry.get(name) + undeclared(registry, name);
    }

    /** Empty for a declared point; else "; no loaded code declares it (did you mean a, b?)". */
    public static String undeclared(FailPointRegistry registry, String name) {
        if (registry.status(name).declared()) {
            return "";
        }
        List<String> close = NameSuggestions.closest(name, registry.declaredNames());
        return "; no loaded code declares it" + (close.isEmpty() ? "" : " (did you mean " + String.join(", ", close) + "?)");
    }

    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis / 1000.0 + " s";
    }
}
