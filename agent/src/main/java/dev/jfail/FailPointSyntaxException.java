package dev.jfail;

/**
 * A malformed failpoint setting. The message is one line naming the 1-based column and what was
 * expected there, e.g. {@code 50%slep(10): unknown type at column 4; expected one of off, panic, ...}.
 */
public class FailPointSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Longer settings are shortened in the message, which stays one readable line. */
    private static final int MAX_SHOWN = 100;

    /** The setting as it was given, neither escaped nor shortened. */
    private final String setting;
    /** The 1-based column of the problem in {@link #setting}. */
    private final int column;
    /** What would have been accepted at {@link #column}. */
    private final String expected;

    /**
     * The error at {@code column} of {@code setting}.
     *
     * @param setting  the setting as it was given (shown escaped and shortened in the message)
     * @param column   the 1-based column where the problem was found
     * @param problem  what is wrong there, e.g. {@code unknown type}
     * @param expected what would have been accepted there, e.g. {@code one of off, panic, ...}
     */
    public FailPointSyntaxException(String setting, int column, String problem, String expected) {
        super(shown(setting) + ": " + problem + " at column " + column + "; expected " + expected);
        this.setting = setting;
        this.column = column;
        this.expected = expected;
    }

    /**
     * The same error, its message prefixed with where the setting came from, e.g. {@code failpoint b}.
     *
     * @param context where the setting came from, e.g. {@code failpoint b}
     * @param cause   the error found in the setting alone; its setting, column and expectation are kept
     */
    public FailPointSyntaxException(String context, FailPointSyntaxException cause) {
        super(context + ": " + cause.getMessage(), cause);
        this.setting = cause.setting;
        this.column = cause.column;
        this.expected = cause.expected;
    }

    /**
     * The setting as it was given.
     *
     * @return the whole setting, neither escaped nor shortened
     */
    public String setting() {
        return setting;
    }

    /**
     * 1-based column where the problem was found.
     *
     * @return the column, counted in {@link #setting()}
     */
    public int column() {
        return column;
    }

    /**
     * What would have been accepted at {@link #column()}.
     *
     * @return the expectation as the message words it, e.g. {@code one of off, panic, ...}
     */
    public String expected() {
        return expected;
    }

    /** The setting with control characters escaped (so the message is one line) and shortened if long. */
    private static String shown(String setting) {
        String s = setting == null ? "null" : setting;
        boolean shortened = s.length() > MAX_SHOWN;
        if (shortened) {
            s = s.substring(0, MAX_SHOWN);
        }
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> {
            if (Character.isISOControl(cp) || Character.getType(cp) == Character.LINE_SEPARATOR
                    || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR) {
                sb.append(String.format("\\u%04X", cp));
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return shortened ? sb + "..." : sb.toString();
    }
}
