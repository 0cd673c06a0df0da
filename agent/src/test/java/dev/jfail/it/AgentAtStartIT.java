package dev.jfail.it;

import dev.jfail.it.fixture.TickApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI against a JVM that got the agent with -javaagent: nothing to load, the MBean on demand. */
@Timeout(120)
class AgentAtStartIT {

    @Test
    void theCliControlsAnAgentLoadedAtStartEvenWithoutItsMBean() {
        try (Jvm target = Jvm.start(List.of("-javaagent:" + Jvm.agentJar() + "=tick=return(4)", "-Djfail.jmx=false",
                "-cp", Jvm.fixtures().toString(), TickApp.class.getName()))) {
            target.awaitLine("tick=4 tock=ran third=1");
            Jvm.Result list = Jvm.cli(target.pid());
            assertEquals(0, list.exit(), list.toString());
            assertFalse(list.err().contains("loaded the jfail agent"), "it was loaded at start: " + list);
            assertTrue(list.out().startsWith("debug.fail_point.tick: return(4)  (evaluated "), list.toString());

            Jvm.Result off = Jvm.cli(target.pid(), "tick=off");
            assertEquals(List.of("debug.fail_point.tick: return(4) -> off"), off.stdout(), off.toString());
            target.awaitLine("tick=1 tock=ran third=1");
            assertEquals(List.of(), target.stderr());
        }
    }
}
