package dev.jfail.it;

import dev.jfail.it.fixture.HoldApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hold API in a JVM started without {@code -javaagent}: it loads the agent itself from the jar
 * its classes come from (one line on stderr), or, when jfail's classes are not the agent jar, fails
 * at once with one line naming the agent and the Maven plugin.
 */
@Timeout(120)
class SelfAttachIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-Djdk.attach.allowAttachSelf=false", "-Djdk.attach.allowAttachSelf=true"})
    void aHoldWithoutTheAgentLoadsItAndWorks(String attachSelf) {
        // allowAttachSelf=false (the default): a helper JVM attaches; true: this JVM attaches to itself
        Jvm.Result r = Jvm.run(List.of("-XX:+EnableDynamicAgentLoading", attachSelf,
                "-cp", Jvm.agentJar() + File.pathSeparator + Jvm.fixtures(), HoldApp.class.getName()));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("held [ticker]", "tick returned 1", "tick now returns 7"), r.stdout(), r.toString());
        List<String> jfailLines = r.stderr().stream().filter(l -> l.startsWith("jfail:")).toList();
        assertEquals(1, jfailLines.size(), r.toString());
        assertTrue(jfailLines.get(0).startsWith("jfail: loaded the agent into this JVM from " + Jvm.agentJar()), r.toString());
        assertTrue(jfailLines.get(0).contains("jfail-maven-plugin's prepare-agent goal"), r.toString());
        assertTrue(jfailLines.get(0).contains("must include @{argLine}"), r.toString());
    }

    @Test
    void withoutTheAgentJarEveryHoldFailsAtOnceNamingThePlugin() {
        // jfail's classes from a directory (as agent/target/classes): there is no agent jar to load
        Jvm.Result r = Jvm.run(List.of("-cp", System.getProperty("jfail.classes") + File.pathSeparator + Jvm.fixtures(),
                HoldApp.class.getName()));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, r.stdout().size(), r.toString());
        String line = r.stdout().get(0);
        assertTrue(line.matches("refused after \\d+ ms: jfail: the jfail agent is not loaded in this JVM and jfail's classes come from .*"), line);
        assertTrue(line.contains("<artifactId>jfail-maven-plugin</artifactId>") && line.contains("-javaagent:"), line);
        assertTrue(line.contains("<goal>prepare-agent</goal>"), line);
        long millis = Long.parseLong(line.replaceAll("refused after (\\d+) ms.*", "$1"));
        assertTrue(millis < 5_000, line);
    }
}
