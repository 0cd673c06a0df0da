package dev.jfail.dsl

import groovy.transform.CompileStatic
import org.awaitility.core.ConditionTimeoutException

import java.time.Duration

import static org.awaitility.Awaitility.await

/** Awaitility, with a failure message that says what was awaited and what was seen instead. */
@CompileStatic
final class Waiting {

    private Waiting() {
    }

    /**
     * Waits until {@code condition} holds, at most {@code atMost}; otherwise fails with an
     * AssertionError: "waited 10 s for WHAT; SEEN".
     */
    static void until(String what, Duration atMost, Closure<String> seen, Closure<Boolean> condition) {
        try {
            await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Patience.POLL)
                    .until { -> condition.call() as boolean }
        } catch (ConditionTimeoutException ignored) {
            throw new AssertionError("waited ${atMost.toMillis() / 1000} s for $what; ${seen.call()}" as Object)
        }
    }
}
