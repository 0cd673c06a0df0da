package dev.jfail.agent;

import java.security.CodeSource;

/** Where a class of the agent was loaded from, for messages. */
public final class JFailAgentLocation {

    private JFailAgentLocation() {
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
