package dev.jfail.it;

import dev.jfail.it.fixture.TickApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI against a JVM that got the agent with -javaagent: nothing to load. */
@Timeout(120)
class AgentAtStartIT {

    @Test
    void theCliWaitsForTheChannelOfAnAgentLoadedAtStartInsteadOfLoadingItAgain() {
        controlAgentLoadedAtStart(List.of());
    }

    /** The CLI does not need the MBean: without it, nothing is loaded again and JDK 21+ has nothing to warn about. */
    @Test
    void theCliNeedsNoMBean() {
        controlAgentLoadedAtStart(List.of("-Djfail.jmx=false"));
    }

    private static void controlAgentLoadedAtStart(List<String> options) {
        List<String> command = new ArrayList<>(options);
        command.addAll(List.of("-javaagent:" + Jvm.agentJar() + "=tick=return(4)", "-cp", Jvm.fixtures().toString(),
                TickApp.class.getName()));
        try (Jvm target = Jvm.start(command)) {
            target.awaitLine("tick=4 tock=ran third=1");
            Jvm.Result list = Jvm.cli(target.pid());
            assertEquals(0, list.exit(), list.toString());
            assertFalse(list.err().contains("loaded the jfail agent"), "it was loaded at start: " + list);
            assertTrue(list.out().startsWith("debug.fail_point.tick: return(4)  (evaluated "), list.toString());

            Jvm.Result off = Jvm.cli(target.pid(), "tick=off");
            assertEquals(List.of("debug.fail_point.tick: return(4) -> off"), off.stdout(), off.toString());
            target.awaitLine("tick=1 tock=ran third=1");
            assertEquals(List.of(), target.stderr(), "no warning in the target");
        }
    }
}
