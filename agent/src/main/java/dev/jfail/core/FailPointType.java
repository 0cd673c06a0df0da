package dev.jfail.core;

/** The nine actions of FreeBSD's fail(9), in kern_fail.c's order. */
public enum FailPointType {
    OFF("off"),
    PANIC("panic"),
    RETURN("return"),
    BREAK("break"),
    PRINT("print"),
    SLEEP("sleep"),
    PAUSE("pause"),
    YIELD("yield"),
    DELAY("delay");

    private final String token;

    FailPointType(String token) {
        this.token = token;
    }

    /** The word typed in a setting, e.g. {@code return}. */
    public String token() {
        return token;
    }

    /** "off, panic, return, ..." for error messages. */
    static String allTokens() {
        StringBuilder sb = new StringBuilder();
        for (FailPointType t : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(t.token);
        }
        return sb.toString();
    }
}
