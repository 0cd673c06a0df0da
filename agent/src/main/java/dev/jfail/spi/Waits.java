package dev.jfail.spi;

import dev.jfail.core.Awaits;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.Patience;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The bounded waits of the DSL and the extensions: how long they wait ({@code -Djfail.patience},
 * {@code -Djfail.testPatience}) and what they say when a wait ends without what it waited for.
 */
public final class Waits {

    private Waits() {
    }

    /**
     * How long one wait (a hold, a count, a thread) waits: {@code -Djfail.patience=SECONDS}, 10 s by default.
     *
     * @return the patience, read from the property at each call
     */
    public static Duration patience() {
        return Patience.standard();
    }

    /**
     * How long a test may keep threads held: {@code -Djfail.testPatience=SECONDS}.
     *
     * @return the patience {@link HoldWatch} gives a test, 60 s by default
     */
    public static Duration testPatience() {
        return Patience.test();
    }

    /**
     * Waits until {@code condition}; past {@code atMost} fails naming {@code what} and what {@code seen} saw.
     *
     * @param what      what is waited for, as the failure words it
     * @param atMost    how long to wait before the {@link AssertionError}
     * @param seen      what was there instead, asked only when the wait fails
     * @param condition polled until true
     */
    public static void until(String what, Duration atMost, Supplier<String> seen, BooleanSupplier condition) {
        Awaits.until(what, atMost, seen, condition);
    }

    /**
     * Waits until point {@code name} was reached {@code times} times.
     *
     * @param name   the failpoint's name, as declared
     * @param times  how many crossings while armed (fired or not) to wait for, counted since the last reset
     * @param atMost how long to wait before the {@link AssertionError}
     */
    public static void reached(String name, long times, Duration atMost) {
        Awaits.reached(FailPointRegistry.global(), name, times, atMost);
    }

    /**
     * Waits until {@code threads} threads are paused at point {@code name}.
     *
     * @param name    the failpoint's name, as declared
     * @param threads how many threads must be parked in its {@code pause} at once, at least
     * @param atMost  how long to wait before the {@link AssertionError}
     */
    public static void paused(String name, int threads, Duration atMost) {
        Awaits.paused(FailPointRegistry.global(), name, threads, atMost);
    }
}
