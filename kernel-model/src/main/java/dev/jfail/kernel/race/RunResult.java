package dev.jfail.kernel.race;

import java.time.Duration;

/**
 * The outcome of one run: how it ended, what the kernel printed (the console text, as the kernel
 * prints it), and how long the run took.
 */
public record RunResult(Kind kind, String report, Duration elapsed) {

    public enum Kind { SURVIVED, PANIC, OOPS, DEADLOCK, DATA_LOSS, TIMEOUT }

    public boolean failed() {
        return kind != Kind.SURVIVED;
    }
}
