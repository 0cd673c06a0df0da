package dev.jfail.core;

import java.nio.charset.StandardCharsets;

/**
 * One thread's sequence of probability rolls at one failpoint: SplitMix64 seeded from the seed,
 * the failpoint's name and the thread's name only, so a run with the same seed and thread names
 * makes the same decisions. Written out (not java.util's) so the sequence never depends on the JDK.
 */
final class Rolls {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    /** The registry generation this sequence belongs to; a new seed or a reset starts over. */
    final int generation;
    final String threadName;
    private long state;

    Rolls(long seed, String point, String threadName, int generation) {
        this.generation = generation;
        this.threadName = threadName;
        this.state = mix(seed + GOLDEN_GAMMA) ^ mix(fnv1a(point + '\0' + threadName));
    }

    /** A uniform number in [0, 1,000,000). */
    int nextMillionth() {
        state += GOLDEN_GAMMA;
        return (int) ((mix(state) >>> 1) % Term.PROB_MAX);
    }

    /** Whether a term of {@code probability} millionths fires this time. */
    boolean fires(int probability) {
        return nextMillionth() < probability;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long fnv1a(String s) {
        long h = 0xCBF29CE484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001B3L;
        }
        return h;
    }
}
