package dev.jfail.kernel.race;

import java.util.List;

/**
 * A variant of a race: the buggy code, an attempt of history, or the fix. {@code patches} are
 * what its kernel is booted with ({@code Kernel.Config.patched}): the fix's revision, an
 * attempt's name; none for the original code.
 */
public record Variant(String name, boolean fixed, List<String> patches, String description) {

    public Variant {
        patches = List.copyOf(patches);
    }

    /** The code as it was: no patch. */
    public static Variant buggy(String name, String description) {
        return new Variant(name, false, List.of(), description);
    }

    /** An attempt of history that did not fix the race. */
    public static Variant attempt(String name, String patch, String description) {
        return new Variant(name, false, List.of(patch), description);
    }

    /** The fix (committed, or the project's own: the description says which). */
    public static Variant fix(String name, String patch, String description) {
        return new Variant(name, true, List.of(patch), description);
    }
}
