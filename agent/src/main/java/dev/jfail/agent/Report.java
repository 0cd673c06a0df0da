package dev.jfail.agent;

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

    public static void verbose(String message) {
        if (VERBOSE) {
            line(message);
        }
    }

    /** The shortest honest description of a failure: its type when the message alone is unclear. */
    public static String describe(Throwable t) {
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getName();
        }
        String oneLine = message.strip().replace('\n', ' ').replace('\r', ' ');
        return t instanceof IllegalArgumentException ? oneLine : t.getClass().getSimpleName() + ": " + oneLine;
    }

    private static void line(String message) {
        PrintStream err = System.err;
        err.println("jfail: " + message);
    }
}
