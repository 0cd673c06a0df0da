package dev.jfail.it;

import dev.jfail.it.fixture.TickApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the CLI says when it cannot do what it was asked: one line on stderr and a non-zero exit. */
@Timeout(120)
class CliErrorsIT {

    @Test
    void helpDescribesTheCommand() {
        Jvm.Result r = Jvm.cli("--help");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Usage: jfail"), r.toString());
        assertTrue(r.out().contains("[debug.fail_point.]NAME[=SETTING]"), r.toString());
        assertTrue(r.out().contains("--json"), r.toString());
    }

    @Test
    void missingOrMalformedArgumentsAreAUsageError() {
        Jvm.Result none = Jvm.cli();
        assertEquals(2, none.exit(), none.toString());
        assertEquals(List.of("jfail: Missing required parameter: 'PID'", "Try 'java -jar jfail-agent.jar --help'."),
                none.stderr(), "one line and where to look, not the whole usage");
        Jvm.Result notANumber = Jvm.cli("forty-two");
        assertEquals(2, notANumber.exit(), notANumber.toString());
        assertEquals(2, notANumber.stderr().size(), notANumber.toString());
        assertTrue(notANumber.err().startsWith("jfail: Invalid value for positional parameter at index 0 (PID): 'forty-two'"),
                notANumber.toString());
        Jvm.Result unknown = Jvm.cli("--bogus", "1");
        assertEquals(List.of("jfail: Unknown option: '--bogus'", "Try 'java -jar jfail-agent.jar --help'."),
                unknown.stderr(), unknown.toString());
    }

    @Test
    void anUnknownPidIsOneLine() {
        Jvm.Result r = Jvm.cli(Long.MAX_VALUE);
        assertEquals(1, r.exit(), r.toString());
        assertEquals(List.of("jfail: no process with pid " + Long.MAX_VALUE), r.stderr());
    }

    @Test
    void aProcessThatIsNotAJvmIsNotSignalled() throws IOException, InterruptedException {
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try {
            Jvm.Result r = Jvm.cli(sleeper.pid());
            assertEquals(1, r.exit(), r.toString());
            assertEquals(1, r.stderr().size(), r.toString());
            assertTrue(r.err().startsWith("jfail: process " + sleeper.pid() + " is not a JVM that accepts attach"), r.toString());
            assertTrue(sleeper.isAlive(), "attach must not have sent it SIGQUIT");
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    @Test
    void aJvmThatRefusesAttachIsOneLine() {
        try (Jvm target = Jvm.start(List.of("-XX:+DisableAttachMechanism", "-cp", Jvm.fixtures().toString(),
                TickApp.class.getName()))) {
            target.awaitLine("ready");
            Jvm.Result r = Jvm.cli(target.pid(), "tick=return(2)");
            assertEquals(1, r.exit(), r.toString());
            assertEquals(1, r.stderr().size(), r.toString());
            assertTrue(r.err().startsWith("jfail: process " + target.pid() + " is not a JVM that accepts attach"), r.toString());
            assertTrue(r.err().contains("-XX:+DisableAttachMechanism"), r.toString());
        }
    }
}
