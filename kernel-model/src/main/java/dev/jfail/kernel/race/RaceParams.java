package dev.jfail.kernel.race;

import java.util.Map;

/** The races' parameters ({@link RunContext#params()}): read and checked the same way for every race. */
final class RaceParams {

    private RaceParams() {
    }

    /**
     * Parameter {@code name} as a number (decimal, or 0x hex) in [min, max], or {@code dflt} when
     * it is not set; a malformed or out-of-range value is an IllegalArgumentException naming it.
     */
    static long num(Map<String, String> params, String name, long dflt, long min, long max) {
        String s = params.get(name);
        if (s == null) {
            return dflt;
        }
        long v;
        try {
            v = Long.decode(s.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("param " + name + "=" + s + ": not a number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("param " + name + "=" + s + ": must be in [" + min + ", " + max + "]");
        }
        return v;
    }

    /** Parameter {@code name} as a positive int, or {@code dflt}. */
    static int positive(Map<String, String> params, String name, int dflt) {
        return (int) num(params, name, dflt, 1, Integer.MAX_VALUE);
    }
}
