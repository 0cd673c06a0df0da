package dev.jfail.kernel.race;

import java.time.Duration;
import java.util.Map;

/** How to run a race once: the time limit, and the race's parameters (e.g. {@code f_iosize=65536}). */
public record RunContext(Duration timeLimit, Map<String, String> params) {
    public RunContext {
        params = Map.copyOf(params);
    }

    /** A context with no parameters. */
    public static RunContext of(Duration timeLimit) {
        return new RunContext(timeLimit, Map.of());
    }
}
