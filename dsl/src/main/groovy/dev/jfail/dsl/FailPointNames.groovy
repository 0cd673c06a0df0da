package dev.jfail.dsl

import groovy.transform.CompileStatic

/**
 * Failpoint names as a kernel engineer types them: with or without FreeBSD's sysctl prefix
 * {@code debug.fail_point.}, which is ignored.
 */
@CompileStatic
final class FailPointNames {

    static final String SYSCTL_PREFIX = 'debug.fail_point.'

    private FailPointNames() {
    }

    /** {@code debug.fail_point.x} and {@code x} both name the point {@code x}. */
    static String bare(String name) {
        if (name == null || name.trim().isEmpty()) {
            throw new IllegalArgumentException('a failpoint needs a name')
        }
        String trimmed = name.trim()
        String bare = trimmed.startsWith(SYSCTL_PREFIX) ? trimmed.substring(SYSCTL_PREFIX.length()) : trimmed
        if (bare.isEmpty() || bare.contains('=') || bare.contains(';') || bare.chars().anyMatch { int c -> Character.isWhitespace(c) }) {
            throw new IllegalArgumentException("'$name' is not a failpoint name")
        }
        bare
    }

    /**
     * The names of a {@code name=setting;name=setting} list, in order, for callers that have
     * already had the list accepted by the registry (so it is well formed).
     */
    static List<String> namesIn(String settings) {
        settings.split(';')*.trim().findAll { String entry -> !entry.isEmpty() }.collect { String entry ->
            int eq = entry.indexOf('=')
            bare(eq < 0 ? entry : entry.substring(0, eq))
        }.unique()
    }

    /** Joins {@code [name: setting]} into the registry's {@code name=setting;...} form. */
    static String join(Map<String, ?> settings) {
        settings.collect { String name, Object setting -> "${bare(name)}=${String.valueOf(setting).trim()}" }.join(';')
    }
}
