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

        List<String> declarationsOf(String point);

        List<String> automaticPoints();
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

    /**
     * The explicit declarations ({@code NAME@CLASS#METHOD(DESC)[:POSITION]}, one per site) that put the
     * point {@code name} where it is: those made from configuration and those an {@code auto@} placed.
     * Declaring them in a fresh JVM places the point again without {@code auto@}. Empty for a point
     * only {@code @FailPoint} declares, or when no agent runs here.
     */
    public static List<String> declarationsOf(String name) {
        Declarer agent = declarer;
        return agent == null ? List.of() : agent.declarationsOf(FailPointRegistry.canonicalName(name));
    }

    /** The names of the points {@code auto@} declarations have placed so far, sorted; empty when no agent runs here. */
    public static List<String> automaticPoints() {
        Declarer agent = declarer;
        return agent == null ? List.of() : agent.automaticPoints();
    }

    /** Every declaration made from configuration so far; empty when no agent runs here. */
    public static List<String> declarations() {
        Declarer agent = declarer;
        return agent == null ? List.of() : agent.declarations();
    }
}
