package dev.jfail.core;

import java.util.Collection;

/**
 * A failpoint of another JVM as one name, where points of several JVMs meet (the explorer's settings
 * and orders, its record, what it hands back): {@code JVM:POINT}, e.g. {@code follower:follower_apply};
 * a point of this JVM keeps its bare name. Only a prefix that is the qualifier of a JVM taking part
 * counts, so a point of this JVM whose own name holds {@value #SEPARATOR} stays whole.
 *
 * @param jvm   the JVM's qualifier ({@link #qualifier(String)} of its name); null for this JVM
 * @param point the point's canonical name there
 */
public record JvmPoint(String jvm, String point) {

    /** Between a JVM's qualifier and its point's name. */
    public static final char SEPARATOR = ':';

    public JvmPoint {
        point = FailPointRegistry.canonicalName(point);
    }

    /**
     * What a JVM named {@code name} is called in qualified names: the name without whitespace
     * ({@code pid 4711} is {@code pid4711}), which a failpoint name cannot hold.
     */
    public static String qualifier(String name) {
        String q = name.replaceAll("\\s+", "");
        if (q.isEmpty() || q.indexOf(SEPARATOR) >= 0 || q.indexOf('=') >= 0 || q.indexOf(';') >= 0) {
            throw new IllegalArgumentException("a JVM named '" + name + "' cannot qualify point names:"
                    + " no '" + SEPARATOR + "', '=' or ';', and not empty");
        }
        return q;
    }

    /** {@code name} as a point of one of the JVMs {@code qualifiers} name, or of this JVM. */
    public static JvmPoint of(String name, Collection<String> qualifiers) {
        String canonical = FailPointRegistry.canonicalName(name);
        int at = canonical.indexOf(SEPARATOR);
        if (at > 0 && at < canonical.length() - 1 && qualifiers.contains(canonical.substring(0, at))) {
            return new JvmPoint(canonical.substring(0, at), canonical.substring(at + 1));
        }
        return new JvmPoint(null, canonical);
    }

    /** Whether it is a point of this JVM. */
    public boolean local() {
        return jvm == null;
    }

    /** {@code JVM:POINT}, or the bare name of a point of this JVM. */
    public String qualified() {
        return jvm == null ? point : jvm + SEPARATOR + point;
    }

    @Override
    public String toString() {
        return qualified();
    }
}
