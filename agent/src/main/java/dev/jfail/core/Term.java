package dev.jfail.core;

/**
 * One parsed term of a setting, e.g. {@code 50%3*return(22)[pid 7]}. Immutable: the live
 * remaining count of a stored term is kept by {@link ArmedSetting}.
 *
 * @param type        the action
 * @param probability in millionths, 0..{@link #PROB_MAX}
 * @param count       how many times it may fire, or {@link #UNCOUNTED}
 * @param argument    the {@code (n)} argument, 0 when absent
 * @param pid         the Java thread id it is restricted to, or {@link #ANY_THREAD}
 * @param thrown      for {@code panic(CLASS)}, the exception class's binary name; else null
 */
public record Term(FailPointType type, int probability, long count, long argument, long pid, String thrown) {

    /** 100%, in millionths. */
    public static final int PROB_MAX = 1_000_000;
    /** No {@code N*} modifier: fires for ever. */
    public static final long UNCOUNTED = -1;
    /** No {@code [pid N]}: every thread. */
    public static final long ANY_THREAD = -1;

    public Term {
        if (type == null) {
            throw new IllegalArgumentException("term without a type");
        }
        if (probability < 0 || probability > PROB_MAX) {
            throw new IllegalArgumentException("probability out of range: " + probability);
        }
        if (count != UNCOUNTED && count < 0) {
            throw new IllegalArgumentException("count out of range: " + count);
        }
    }

    /** A term without an exception class. */
    public Term(FailPointType type, int probability, long count, long argument, long pid) {
        this(type, probability, count, argument, pid, null);
    }

    public boolean counted() {
        return count != UNCOUNTED;
    }

    /** FreeBSD's canonical read-back of this term with {@code remaining} left to fire. */
    String format(long remaining) {
        StringBuilder sb = new StringBuilder();
        if (probability < PROB_MAX) {
            sb.append(formatProbability(probability)).append('%');
        }
        if (counted()) {
            sb.append(remaining).append('*');
        }
        sb.append(type.token());
        if (thrown != null) {
            sb.append('(').append(thrown).append(')');
        } else if (argument != 0) {
            sb.append('(').append(argument).append(')');
        }
        if (pid != ANY_THREAD) {
            sb.append("[pid ").append(pid).append(']');
        }
        return sb.toString();
    }

    /** Millionths as a trimmed percentage: 200000 -> "20", 123457 -> "12.3457", 1 -> "0.0001". */
    static String formatProbability(int millionths) {
        int units = millionths / (PROB_MAX / 100);
        int decimal = millionths % (PROB_MAX / 100);
        if (decimal == 0) {
            return Integer.toString(units);
        }
        String frac = String.format("%04d", decimal);
        int end = frac.length();
        while (frac.charAt(end - 1) == '0') {
            end--;
        }
        return units + "." + frac.substring(0, end);
    }

    @Override
    public String toString() {
        return format(count);
    }
}
