package dev.jfail.dsl

import dev.jfail.spi.Waits
import groovy.transform.CompileStatic

import java.time.Duration
import java.util.function.BooleanSupplier
import java.util.function.Supplier

/** The core's bounded wait ({@link Awaits#until}) with closures: fails saying what was awaited and what was seen instead. */
@CompileStatic
final class Waiting {

    private Waiting() {
    }

    /**
     * Waits until {@code condition} holds, at most {@code atMost}; otherwise fails with an
     * AssertionError: "waited 10 s for WHAT; SEEN".
     */
    static void until(String what, Duration atMost, Closure<String> seen, Closure<Boolean> condition) {
        Waits.until(what, atMost, { -> String.valueOf(seen.call()) } as Supplier<String>, { -> condition.call() as boolean } as BooleanSupplier)
    }
}
