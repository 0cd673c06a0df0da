package dev.jfail.core;

import java.util.List;

/**
 * Declaring failpoints at run time, for the control surfaces (the MBean, the CLI's channel): the
 * agent installs the one implementation when it starts, so the surfaces reach it here without
 * depending on the agent's packages (and without an import cycle between them).
 */
public final class RuntimeDeclarations {

    /** What the agent offers: declare points on methods, and list the declarations made so far. */
    public interface Declarer {
        List<String> declare(String specs);

        List<String> declarations();
    }

    private static volatile Declarer declarer;

    private RuntimeDeclarations() {
    }

    /** Called once by the agent when it is installed. */
    public static void install(Declarer agent) {
        declarer = agent;
    }

    /** Declares the points in {@code specs}; throws with a one-line message, or when no agent runs here. */
    public static List<String> declare(String specs) {
        Declarer agent = declarer;
        if (agent == null) {
            throw new IllegalStateException("the jfail agent is not loaded in this JVM");
        }
        return agent.declare(specs);
    }

    /** Every declaration made from configuration so far; empty when no agent runs here. */
    public static List<String> declarations() {
        Declarer agent = declarer;
        return agent == null ? List.of() : agent.declarations();
    }
}
