package dev.jfail.spi;

import dev.jfail.core.FailPointRegistry;

/** Failpoint names as the DSL reads them: the core's one check, for the extensions. */
public final class Names {

    private Names() {
    }

    /** {@code name} without FreeBSD's {@code debug.fail_point.} prefix, checked as a failpoint name. */
    public static String canonical(String name) {
        return FailPointRegistry.canonicalName(name);
    }
}
