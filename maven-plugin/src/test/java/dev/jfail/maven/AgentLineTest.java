package dev.jfail.maven;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What prepare-agent puts into argLine. */
class AgentLineTest {

    private static final Path JAR = Path.of("/m2/dev/jfail/jfail-agent/0.1.0/jfail-agent-0.1.0.jar");

    @Test
    void theAgentAloneWhenNothingElseIsAsked() {
        assertEquals("-javaagent:" + JAR, AgentLine.of(null, JAR, null, null, null));
        assertEquals("-javaagent:" + JAR, AgentLine.of("  ", JAR, " ", "", ""));
    }

    @Test
    void appendsToWhatThePropertyHeld() {
        assertEquals("-javaagent:/jacoco.jar=destfile=x -javaagent:" + JAR,
                AgentLine.of("-javaagent:/jacoco.jar=destfile=x ", JAR, null, null, null));
    }

    @Test
    void declarationsThenSettingsAsTheAgentsArgumentAndTheSeedAsAProperty() {
        assertEquals("-javaagent:" + JAR + "=slow@com.foo.Client#fetch;parse@com.foo.Parser#parse;slow=50%sleep(100);b=return(1) -Djfail.seed=42",
                AgentLine.of(null, JAR, "slow@com.foo.Client#fetch, parse@com.foo.Parser#parse", "slow=50%sleep(100);b=return(1)", " 42 "));
    }

    @Test
    void anArgumentWithWhitespaceIsQuotedForSurefire() {
        Path spaced = Path.of("/home/j doe/.m2/jfail-agent.jar");
        assertEquals("-Xmx1g \"-javaagent:/home/j doe/.m2/jfail-agent.jar=a=return(1); b=yield\"",
                AgentLine.of("-Xmx1g", spaced, null, "a=return(1); b=yield", null));
    }
}
