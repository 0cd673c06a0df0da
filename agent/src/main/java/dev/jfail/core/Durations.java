package dev.jfail.core;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Durations as people type them on a command line or in an annotation: {@code 500ms}, {@code 10s},
 * {@code 1.5s}, {@code 2m}, ISO-8601 ({@code PT10S}); a bare number is seconds. The one reader of
 * them, for the runner's limits and the explorer's budget.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * The duration {@code text} says, more than 0 and at most an hour; otherwise an
     * {@link IllegalArgumentException} that starts with {@code what} and names the text.
     */
    public static Duration parse(String what, String text) {
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
            throw new IllegalArgumentException(what + " '" + text + "' is not a duration (e.g. 500ms, 60s, 2m, PT1M)");
        }
        if (d.isNegative() || d.isZero() || d.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(what + " '" + text + "' must be more than 0 and at most 1 h");
        }
        return d;
    }
}
