package dev.jfail.kernel.race;

import java.time.Duration;
import java.util.Map;

/**
 * How to run a race once: the time limit, the race's parameters (e.g. {@code f_iosize=65536}),
 * and the run's seed — the one place the model's own randomness is seeded from (the kernel's
 * {@code random()}); the runner seeds the failpoints' rolls with the same number. Seed 0: a fresh
 * sequence for every boot.
 */
public record RunContext(Duration timeLimit, Map<String, String> params, long seed) {
    public RunContext {
        params = Map.copyOf(params);
    }

    public RunContext(Duration timeLimit, Map<String, String> params) {
        this(timeLimit, params, 0);
    }

    /** A context with no parameters. */
    public static RunContext of(Duration timeLimit) {
        return new RunContext(timeLimit, Map.of());
    }

    /** This context, for the run whose seed is {@code seed}. */
    public RunContext withSeed(long seed) {
        return new RunContext(timeLimit, params, seed);
    }

    /** This context with {@code params} instead. */
    public RunContext withParams(Map<String, String> params) {
        return new RunContext(timeLimit, params, seed);
    }
}
