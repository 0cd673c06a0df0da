package dev.jfail.dsl

import groovy.transform.CompileStatic

import java.time.Duration

/**
 * How long the DSL waits for threads to reach a point before it gives up. Generous on purpose:
 * tests on a noisy machine must not fail for being slow, only for being wrong. Set
 * {@code -Djfail.patience=SECONDS} to change it.
 */
@CompileStatic
final class Patience {

    private Patience() {
    }

    /** The default bound of every wait in the DSL: 10 seconds unless {@code -Djfail.patience} says otherwise. */
    static Duration getDefault() {
        Duration.ofSeconds(Long.getLong('jfail.patience', 10L))
    }

    /** How often a wait looks again: short, because ordering steps follow one another closely. */
    static final Duration POLL = Duration.ofMillis(2)
}
