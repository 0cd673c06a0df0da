package dev.jfail.kernel.race;

import java.util.Map;

/**
 * A parameter of a race ({@code --param name=value}): a whole number with its default, its
 * bounds and what it means. The default is written here once; the race reads the value with
 * {@link #of}, the runner checks every value with {@link #check} before it runs anything.
 */
public record Param(String name, long dflt, long min, long max, String doc) {

    public Param {
        if (dflt < min || dflt > max) {
            throw new IllegalArgumentException("param " + name + ": default " + dflt + " outside [" + min + ", " + max + "]");
        }
    }

    /** The value of this parameter in {@code params}, or its default; a bad value is an IllegalArgumentException naming it. */
    public long of(Map<String, String> params) {
        String s = params.get(name);
        return s == null ? dflt : check(s);
    }

    /** {@link #of} as an int (the bounds of such a parameter fit an int). */
    public int intOf(Map<String, String> params) {
        return Math.toIntExact(of(params));
    }

    /** {@code value} as a number (decimal, or 0x hex) in [min, max]; else an IllegalArgumentException naming the parameter. */
    public long check(String value) {
        long v;
        try {
            v = Long.decode(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("param " + name + "=" + value + ": not a number");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("param " + name + "=" + value + ": must be in [" + min + ", " + max + "]");
        }
        return v;
    }
}
