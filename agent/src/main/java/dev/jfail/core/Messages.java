package dev.jfail.core;

/**
 * The one-line error: what every jfail surface (agent report, CLI, MBean, extensions, runner)
 * prints when something goes wrong, so the same failure reads the same everywhere.
 */
public final class Messages {

    private Messages() {
    }

    /**
     * The first non-blank message along {@code t}'s causes, on one line; the exception's type is
     * added unless it is an {@link IllegalArgumentException} (whose message says it all) or the type
     * is all there is.
     */
    public static String oneLine(Throwable t) {
        Throwable source = t;
        while (blank(source.getMessage()) && source.getCause() != null) {
            source = source.getCause();
        }
        if (blank(source.getMessage())) {
            return source.getClass().getName();
        }
        String message = source.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
        return source instanceof IllegalArgumentException ? message : source.getClass().getSimpleName() + ": " + message;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
