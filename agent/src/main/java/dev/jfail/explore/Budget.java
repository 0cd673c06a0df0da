package dev.jfail.explore;

import dev.jfail.core.Durations;

import java.time.Duration;

/** An exploration's time budget as people write it: {@code 500ms}, {@code 60s}, {@code 2m}, {@code PT1M}, or bare seconds. */
public final class Budget {

    private Budget() {
    }

    /** The duration {@code text} says; an {@link IllegalArgumentException} naming it when it is none, or not in (0, 1 h]. */
    public static Duration parse(String text) {
        return Durations.parse("budget", text);
    }
}
