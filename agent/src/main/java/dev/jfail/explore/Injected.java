package dev.jfail.explore;

import java.util.Collection;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the exceptions the explorer injects: {@code panic} throws with the message
 * {@code fail point NAME panicking} whatever its type, and the message survives wrapping (a cause, a
 * stack printed into a report).
 */
final class Injected {

    private static final Pattern PANIC = Pattern.compile("fail point (\\S+) panicking");

    private Injected() {
    }

    /** The name of the first point whose injected panic {@code text} shows, or null. */
    static String message(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = PANIC.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    /** Whether {@code text} shows the panic of one of {@code points}. */
    static boolean by(String text, Collection<String> points) {
        if (text == null || points.isEmpty()) {
            return false;
        }
        Matcher m = PANIC.matcher(text);
        while (m.find()) {
            if (points.contains(m.group(1))) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code t} or a cause of it is the panic of one of {@code points}. */
    static boolean by(Throwable t, Collection<String> points) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (by(c.getMessage(), points)) {
                return true;
            }
        }
        return false;
    }
}
