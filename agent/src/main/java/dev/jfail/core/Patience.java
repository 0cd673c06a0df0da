package dev.jfail.core;

import java.time.Duration;

/**
 * How long jfail's waits (holds, fired counts) wait before they give up. Generous on purpose:
 * tests on a noisy machine must fail for being wrong, never for being slow. {@code
 * -Djfail.patience=SECONDS} changes it for every surface (the facade, the DSL, the extensions).
 */
public final class Patience {

    /** The system property that sets the default bound, in seconds. */
    public static final String PROPERTY = "jfail.patience";

    /** How often a wait looks again: short, because the steps of a forced ordering follow one another closely. */
    static final long POLL_NANOS = Duration.ofMillis(2).toNanos();
    /** How long a wait looks that often; after it, every {@link #SLOW_POLL_NANOS}, so a long wait costs its JVM next to nothing. */
    static final long BRISK_NANOS = Duration.ofMillis(500).toNanos();
    static final long SLOW_POLL_NANOS = Duration.ofMillis(20).toNanos();

    private Patience() {
    }

    /** The system property that sets how long a test may keep threads held, in seconds ({@link #test()}). */
    public static final String TEST_PROPERTY = "jfail.testPatience";

    /**
     * How long a test using jfail may run while threads are still held at its points: 60 seconds
     * unless {@code -Djfail.testPatience=SECONDS} says otherwise. Past it, the holds are released
     * and the test fails (the extensions' hold watch), rather than hang the build.
     */
    public static Duration test() {
        return Duration.ofSeconds(Long.getLong(TEST_PROPERTY, 60L));
    }

    /** 10 seconds unless {@code -Djfail.patience=SECONDS} says otherwise. */
    public static Duration standard() {
        return Duration.ofSeconds(Long.getLong(PROPERTY, 10L));
    }
}
