package dev.jfail.kernel.runner;

import java.io.PrintWriter;

/**
 * The progress line of long runs, on stderr: rewritten in place on a terminal, one line every few
 * seconds otherwise; silent for short batches and with {@code --quiet}.
 */
final class Progress {
    private static final long FIRST_NANOS = 1_000_000_000L;
    private final PrintWriter err;
    private final boolean enabled;
    private final boolean terminal;
    private long started = -1;
    private long lastPrint;
    private boolean printed;

    Progress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
        this.terminal = System.console() != null;
    }

    void update(String label, int done, int total, int failures) {
        line(() -> String.format("%s: %d/%d runs, %d failed, %.0f s", label, done, total, failures,
                (System.nanoTime() - started) / 1e9));
    }

    /** Shows {@code text} as the progress line, at most as often as {@link #update} does. */
    void line(java.util.function.Supplier<String> text) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (started < 0) {
            started = now;
            lastPrint = now;
            return;
        }
        long every = terminal ? 250_000_000L : 5_000_000_000L;
        if (now - started < FIRST_NANOS || now - lastPrint < every) {
            return;
        }
        lastPrint = now;
        String line = text.get();
        if (terminal) {
            err.print("\r" + line + "   ");
        } else {
            err.println(line);
        }
        err.flush();
        printed = true;
    }

    void done() {
        if (enabled && terminal && printed) {
            err.print("\r" + " ".repeat(100) + "\r");
            err.flush();
        }
        started = -1;
        printed = false;
    }
}
