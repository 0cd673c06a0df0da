package dev.jfail.it;

import dev.jfail.it.fixture.TickApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control socket over JVMs' lives: left behind by a crash, removed at exit, and --jmx's trade-off. */
@Timeout(180)
class ChannelLifecycleIT {

    private static Path socketOf(long pid) {
        return Path.of(System.getProperty("java.io.tmpdir"), ".jfail_pid" + pid);
    }

    /** A JVM with the agent from the start, whose control socket a first CLI command has opened. */
    private static Jvm startWithAgent() {
        Jvm jvm = Jvm.start(List.of("-javaagent:" + Jvm.agentJar(), "-cp", Jvm.fixtures().toString(), TickApp.class.getName()));
        jvm.awaitLine("tick=1 tock=ran third=1");
        Jvm.Result r = Jvm.cli(jvm.pid(), "-n", "tick");
        assertEquals(List.of("off"), r.stdout(), r.toString());
        assertTrue(Files.exists(socketOf(jvm.pid())));
        return jvm;
    }

    /**
     * An agent loaded at start opens no socket until a CLI asks for one (SIGURG), and the asking
     * needs no agent load: a JVM nobody controls pays nothing for the channel.
     */
    @Test
    void theSocketIsOpenedOnlyWhenTheCliFirstNeedsIt() throws InterruptedException {
        try (Jvm jvm = Jvm.start(List.of("-javaagent:" + Jvm.agentJar(), "-cp", Jvm.fixtures().toString(),
                TickApp.class.getName()))) {
            jvm.awaitLine("tick=1 tock=ran third=1");
            Thread.sleep(1500); // past the second after which the MBean is registered
            assertFalse(Files.exists(socketOf(jvm.pid())), "no socket before a CLI asks");
            Jvm.Result r = Jvm.cli(jvm.pid(), "tick=return(2)");
            assertEquals(List.of("debug.fail_point.tick: off -> return(2)"), r.stdout(), r.toString());
            assertFalse(r.err().contains("loaded the jfail agent"), r.toString());
            assertTrue(Files.exists(socketOf(jvm.pid())));
            jvm.awaitLine("tick=2 tock=ran third=1");
            assertEquals(List.of(), jvm.stderr(), "the target's stderr");
        }
    }

    /**
     * A JVM killed with SIGKILL leaves its socket behind. Its pid comes round again (here: the
     * socket is moved to the next JVM's pid, which the test cannot choose): the CLI is not fooled by
     * the dead socket, and the next JVM's agent puts its own in its place.
     */
    @Test
    void aStaleSocketOfADeadJvmWithTheSamePidDoesNotConfuseTheNext() throws Exception {
        Path stale;
        try (Jvm dead = startWithAgent()) {
            stale = socketOf(dead.pid());
            assertTrue(dead.kill(), "killed");
        }
        assertTrue(Files.exists(stale), "SIGKILL leaves the socket");
        try (Jvm next = Jvm.start(List.of("-XX:+EnableDynamicAgentLoading", "-cp", Jvm.fixtures().toString(),
                TickApp.class.getName()))) {
            next.awaitLine("tick=1 tock=ran third=1");
            Files.move(stale, socketOf(next.pid()), StandardCopyOption.REPLACE_EXISTING);

            Jvm.Result r = Jvm.cli(next.pid(), "tick=return(6)");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(List.of("debug.fail_point.tick: off -> return(6)"), r.stdout(), r.toString());
            assertEquals(List.of("jfail: loaded the jfail agent into pid " + next.pid()), r.stderr(), r.toString());
            next.awaitLine("tick=6 tock=ran third=1");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socketOf(next.pid()))));
            assertEquals(List.of("return(6)"), Jvm.cli(next.pid(), "-n", "tick").stdout(), "and the new socket serves");
        }
    }

    @Test
    void aJvmThatEndsRemovesItsSocket() {
        try (Jvm jvm = startWithAgent()) {
            Path socket = socketOf(jvm.pid());
            jvm.closeInput(); // TickApp ends when its stdin closes
            assertEquals(0, jvm.awaitExit().exit());
            assertFalse(Files.exists(socket), socket + " after a normal exit");
        }
    }

    @Test
    void aJvmStoppedWithSigtermRemovesItsSocket() {
        Path socket;
        try (Jvm jvm = startWithAgent()) {
            socket = socketOf(jvm.pid());
        } // close(): SIGTERM
        assertFalse(Files.exists(socket), socket + " after SIGTERM");
    }

    /** --jmx still works, and does what the README warns of: the target listens on a TCP port from then on. */
    @Test
    void jmxReachesTheTargetThroughTheJdksConnectorWhichOpensAPort() {
        try (Jvm target = startWithAgent()) {
            assertEquals(List.of(), Sockets.listeningTcp(target.pid()), "no port before");
            Jvm.Result r = Jvm.cli(target.pid(), "--jmx", "tick=return(8)");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(List.of("debug.fail_point.tick: off -> return(8)"), r.stdout(), r.toString());
            target.awaitLine("tick=8 tock=ran third=1");
            assertEquals(1, Sockets.listeningTcp(target.pid()).size(), "the local JMX connector's port");
        }
    }

    /** With -Djfail.control=false the agent opens no socket, even when knocked; the CLI has it opened by loading the agent again. */
    @Test
    void aTargetWithoutTheChannelGetsItFromTheCli() {
        try (Jvm target = Jvm.start(List.of("-Djfail.control=false", "-XX:+EnableDynamicAgentLoading",
                "-javaagent:" + Jvm.agentJar(), "-cp", Jvm.fixtures().toString(), TickApp.class.getName()))) {
            target.awaitLine("tick=1 tock=ran third=1");
            Jvm.Result r = Jvm.cli(target.pid(), "tock=return");
            assertEquals(0, r.exit(), r.toString());
            assertFalse(r.err().contains("loaded the jfail agent"), "it ran already: " + r);
            target.awaitLine("tick=1 tock=skipped third=1");
            assertTrue(Files.exists(socketOf(target.pid())));
        }
    }
}
