package dev.jfail.kernel.runner;

import java.lang.instrument.Instrumentation;

/**
 * The jar's {@code Launcher-Agent-Class}: keeps the Instrumentation the JVM hands over at launch
 * and starts the jfail agent with it from {@code main}, once the launcher has finished
 * initialising (starting the agent from within the launcher's own start-up trips a
 * ClassCircularityError in the JDK's class loading).
 */
public final class LauncherAgent {
    private static volatile Instrumentation instrumentation;

    private LauncherAgent() {
    }

    public static void agentmain(String args, Instrumentation inst) {
        instrumentation = inst;
    }

    /** Starts the jfail agent if the JVM gave us an Instrumentation and no agent is loaded yet. */
    static void start() {
        Instrumentation inst = instrumentation;
        if (inst == null || RacesCli.agentAttached()) {
            return;
        }
        try {
            Class.forName("dev.jfail.agent.JFailAgent")
                    .getMethod("agentmain", String.class, Instrumentation.class)
                    .invoke(null, "", inst);
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("jfail-races: the jfail agent could not start (" + e + "); failpoints will not fire");
        }
    }
}
