package dev.jfail.spi;

import dev.jfail.core.FailPointRegistry;

/** Failpoint names as the DSL reads them: the core's one check, for the extensions. */
public final class Names {

    private Names() {
    }

    /**
     * {@code name} without FreeBSD's {@code debug.fail_point.} prefix, checked as a failpoint name.
     *
     * @param name a failpoint's name as a user typed it, prefix optional
     * @return the name the registry keys it by; a bad name throws an {@link IllegalArgumentException} naming it
     */
    public static String canonical(String name) {
        return FailPointRegistry.canonicalName(name);
    }
}
