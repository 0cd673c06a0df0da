package dev.jfail.core;

import java.io.PrintStream;

/**
 * The agent's only voice: one line per event on stderr, prefixed {@code jfail:}. The agent never
 * throws into the application, so everything it cannot do ends up here.
 */
public final class Report {

    /** {@code -Djfail.verbose=true} also reports every method that gets instrumented. */
    private static final boolean VERBOSE = Boolean.getBoolean("jfail.verbose");

    private Report() {
    }

    public static void error(String message) {
        line(message);
    }

    /** Whether verbose lines are printed: a caller tests it before it builds an expensive one. */
    public static boolean verbose() {
        return VERBOSE;
    }

    public static void verbose(String message) {
        if (VERBOSE) {
            line(message);
        }
    }

    private static void line(String message) {
        PrintStream err = System.err;
        err.println("jfail: " + message);
    }
}
