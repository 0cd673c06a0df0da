package dev.jfail.kernel.race;

/** A variant of a race: "buggy", "fixed", or a historical attempt; whether it is the fix. */
public record Variant(String name, boolean fixed, String description) {
}
