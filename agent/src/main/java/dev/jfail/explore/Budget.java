package dev.jfail.explore;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** An exploration's time budget as people write it: {@code 500ms}, {@code 60s}, {@code 2m}, {@code PT1M}, or bare seconds. */
public final class Budget {

    private Budget() {
    }

    /** The duration {@code text} says; an {@link IllegalArgumentException} naming it when it is none, or not in (0, 1 h]. */
    public static Duration parse(String text) {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.startsWith("pt")) {
                d = Duration.parse(t.toUpperCase(Locale.ROOT));
            } else if (t.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            } else if (t.endsWith("m")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            } else {
                d = Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("budget '" + text + "' is not a duration (e.g. 500ms, 60s, 2m, PT1M)");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("budget '" + text + "' must be more than 0 and at most 1 h");
        }
        return d;
    }
}
