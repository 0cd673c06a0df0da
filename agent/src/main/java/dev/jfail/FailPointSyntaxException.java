package dev.jfail;

/**
 * A malformed failpoint setting. The message is one line naming the 1-based column and what was
 * expected there, e.g. {@code 50%slep(10): unknown type at column 4; expected one of off, panic, ...}.
 */
public class FailPointSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String setting;
    private final int column;
    private final String expected;

    public FailPointSyntaxException(String setting, int column, String problem, String expected) {
        super(setting + ": " + problem + " at column " + column + "; expected " + expected);
        this.setting = setting;
        this.column = column;
        this.expected = expected;
    }

    /** The setting as it was given. */
    public String setting() {
        return setting;
    }

    /** 1-based column where the problem was found. */
    public int column() {
        return column;
    }

    /** What would have been accepted at {@link #column()}. */
    public String expected() {
        return expected;
    }
}
