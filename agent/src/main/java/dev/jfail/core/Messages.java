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
        Throwable source = source(t);
        if (blank(source.getMessage())) {
            return source.getClass().getName();
        }
        String message = message(source);
        return source instanceof IllegalArgumentException ? message : source.getClass().getSimpleName() + ": " + message;
    }

    /**
     * The first non-blank message along {@code t}'s causes, on one line, without the type: for a
     * message that crossed a boundary (an MBean call, the control channel) and already says what
     * went wrong, or a command line's usage error. The type's simple name when no message says anything.
     */
    public static String message(Throwable t) {
        Throwable source = source(t);
        return blank(source.getMessage()) ? source.getClass().getSimpleName()
                : source.getMessage().strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static Throwable source(Throwable t) {
        Throwable source = t;
        while (blank(source.getMessage()) && source.getCause() != null) {
            source = source.getCause();
        }
        return source;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
