package dev.jfail.core;

import java.security.CodeSource;

/** Where a class of the agent was loaded from, for messages (a copy of jfail's classes in the wrong place is a common mistake). */
public final class LoadedFrom {

    private LoadedFrom() {
    }

    public static String of(Class<?> type) {
        try {
            CodeSource source = type.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null ? "an unknown place" : source.getLocation().toString();
        } catch (RuntimeException e) {
            return "an unknown place";
        }
    }
}
