package dev.jfail.it;

import dev.jfail.it.fixture.TickApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the channel holds against: another user's socket waiting at the target's path for root's
 * CLI, a stray file in the way that is later removed, and knocks on an open channel.
 */
@Timeout(180)
class ChannelHardeningIT {

    private static Path socketOf(long pid) {
        return Path.of(System.getProperty("java.io.tmpdir"), ".jfail_pid" + pid);
    }

    /**
     * A server of the channel's protocol at the socket path given, greeting as the pid given and
     * answering "off" to everything; it prints "listening", then "asked" for every request.
     */
    private static Path fakeServer(Path dir) throws IOException {
        String source = """
                import java.io.DataInputStream;
                import java.io.DataOutputStream;
                import java.io.IOException;
                import java.net.StandardProtocolFamily;
                import java.net.UnixDomainSocketAddress;
                import java.nio.channels.Channels;
                import java.nio.channels.ServerSocketChannel;
                import java.nio.channels.SocketChannel;
                import java.nio.charset.StandardCharsets;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.attribute.PosixFilePermissions;

                public class Fake {
                    public static void main(String[] args) throws Exception {
                        Path path = Path.of(args[0]);
                        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                        server.bind(UnixDomainSocketAddress.of(path));
                        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
                        Thread end = new Thread(() -> {
                            try { Thread.sleep(120_000); } catch (InterruptedException e) { }
                            System.exit(0);
                        });
                        end.setDaemon(true);
                        end.start();
                        System.out.println("listening");
                        while (true) {
                            try (SocketChannel c = server.accept()) {
                                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
                                DataInputStream in = new DataInputStream(Channels.newInputStream(c));
                                byte[] hello = "jfail-control/2".getBytes(StandardCharsets.UTF_8);
                                out.writeInt(hello.length);
                                out.write(hello);
                                out.writeLong(Long.parseLong(args[1]));
                                out.flush();
                                while (true) {
                                    in.readFully(new byte[in.readInt()]);
                                    System.out.println("asked");
                                    out.writeInt(9);
                                    out.writeByte('=');
                                    out.writeByte('S');
                                    out.writeInt(3);
                                    out.write("off".getBytes(StandardCharsets.UTF_8));
                                    out.flush();
                                }
                            } catch (IOException gone) {
                                // the next client
                            }
                        }
                    }
                }
                """;
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = dir.resolve("Fake.java");
        Files.writeString(file, source);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        return file;
    }

    /** The fake server, run by the other user at the socket path of {@code pid}. */
    private static Jvm fakeAt(Path dir, long pid) throws IOException {
        Jvm fake = Jvm.startProgram("runuser", List.of("-u", OtherUser.NAME, "--", Jvm.java().toString(),
                "-XX:-UsePerfData", fakeServer(dir).toString(), socketOf(pid).toString(), String.valueOf(pid)), java.util.Map.of());
        fake.awaitLine("listening");
        return fake;
    }

    /**
     * A JVM with the agent from the start has no socket until the CLI first knocks, so another user
     * can put one there first. Root's CLI talked to it (and printed its "off -> return(7)") while the
     * target stayed off; now it refuses it, and the target's agent (root's) puts its own in its place.
     */
    @Test
    void anotherUsersSocketAtTheTargetsPathIsNotTalkedTo(@TempDir Path dir) throws IOException {
        OtherUser.ensure();
        try (Jvm target = Jvm.start(List.of("-javaagent:" + Jvm.agentJar(), "-cp", Jvm.fixtures().toString(),
                TickApp.class.getName()))) {
            target.awaitLine("tick=1 tock=ran third=1");
            try (Jvm fake = fakeAt(dir, target.pid())) {
                Jvm.Result r = Jvm.cli(target.pid(), "tick=return(7)");
                assertEquals(0, r.exit(), r.toString());
                assertEquals(List.of("debug.fail_point.tick: off -> return(7)"), r.stdout(), r.toString());
                target.awaitLine("tick=7 tock=ran third=1");
                assertFalse(fake.stdout().contains("asked"), "the fake server was sent a request: " + fake.stdout());
                assertEquals("root", Files.getOwner(socketOf(target.pid())).getName(), "the target's own socket is there now");
            }
        }
    }

    /** Nothing is sent to a socket in the name of a process that is not a JVM, whoever put it there. */
    @Test
    void aSocketInTheNameOfAProcessThatIsNotAJvmIsNotTalkedTo(@TempDir Path dir) throws Exception {
        OtherUser.ensure();
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        try (Jvm fake = fakeAt(dir, sleeper.pid())) {
            Jvm.Result r = Jvm.cli(sleeper.pid(), "tick=return(7)");
            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().startsWith("jfail: process " + sleeper.pid() + " is not a JVM"), r.toString());
            assertFalse(fake.stdout().contains("asked"), "the fake server was sent a request: " + fake.stdout());
        } finally {
            sleeper.destroyForcibly().waitFor();
        }
    }

    /**
     * A file in the way of the socket makes the first use fail, with the cause and what to remove
     * first; once it is removed, the next use opens the channel (it failed with the old message
     * until someone sent SIGURG by hand).
     */
    @Test
    void aFailureWhoseCauseHasGoneIsTriedAgain() throws IOException {
        try (Jvm target = Jvm.start(List.of("-javaagent:" + Jvm.agentJar(), "-cp", Jvm.fixtures().toString(),
                TickApp.class.getName()))) {
            target.awaitLine("tick=1 tock=ran third=1");
            Path socket = socketOf(target.pid());
            Files.createDirectory(socket); // in the way even of root: a socket cannot be renamed over a directory
            try {
                Jvm.Result first = Jvm.cli(target.pid(), "tick=return(3)");
                assertEquals(1, first.exit(), first.toString());
                assertEquals(1, first.stderr().size(), first.toString());
                assertTrue(first.err().startsWith("jfail: pid " + target.pid() + " has no jfail control channel: cannot open"
                        + " the control socket: cannot create " + socket + ": a file of user root is in the way; remove it"),
                        first.toString());
                assertTrue(first.err().indexOf("remove it") < first.err().indexOf("--jmx"), "the owner-only fix first: " + first);
            } finally {
                Files.delete(socket);
            }
            Jvm.Result second = Jvm.cli(target.pid(), "tick=return(3)");
            assertEquals(0, second.exit(), second.toString());
            assertEquals(List.of("debug.fail_point.tick: off -> return(3)"), second.stdout(), second.toString());
            target.awaitLine("tick=3 tock=ran third=1");
        }
    }

    /** A socket file removed under a serving channel (a cleaner of /tmp, say): the next CLI use serves a new one. */
    @Test
    void aChannelWhoseSocketWasRemovedIsOpenedAgain() throws IOException {
        try (Jvm target = Jvm.start(List.of("-XX:+EnableDynamicAgentLoading", "-javaagent:" + Jvm.agentJar(),
                "-cp", Jvm.fixtures().toString(), TickApp.class.getName()))) {
            target.awaitLine("tick=1 tock=ran third=1");
            assertEquals(List.of("off"), Jvm.cli(target.pid(), "-n", "tick").stdout());
            Files.delete(socketOf(target.pid()));
            Jvm.Result r = Jvm.cli(target.pid(), "tick=return(4)");
            assertEquals(0, r.exit(), r.toString());
            assertEquals(List.of("debug.fail_point.tick: off -> return(4)"), r.stdout(), r.toString());
            target.awaitLine("tick=4 tock=ran third=1");
            assertTrue(Files.exists(socketOf(target.pid())));
            assertEquals(List.of(), target.stderr(), "the target's stderr");
        }
    }

    /**
     * The JVM starts a thread for every signal it handles: once the channel is open, SIGURG goes back
     * to its default (nothing), so knocks on an open channel cost the target nothing.
     */
    @Test
    void knocksOnAnOpenChannelAreNotHandled() throws IOException {
        try (Jvm target = Jvm.start(List.of("-javaagent:" + Jvm.agentJar(), "-cp", Jvm.fixtures().toString(),
                TickApp.class.getName()))) {
            target.awaitLine("tick=1 tock=ran third=1");
            await("the agent handles SIGURG").atMost(Jvm.PATIENCE).until(() -> catchesSigurg(target.pid()));
            assertEquals(List.of("off"), Jvm.cli(target.pid(), "-n", "tick").stdout());
            assertFalse(catchesSigurg(target.pid()), "SIGURG is still caught with the channel open");
        }
    }

    /** Whether {@code pid} has a handler for SIGURG (23): its bit in /proc/PID/status's SigCgt. */
    private static boolean catchesSigurg(long pid) throws IOException {
        Path status = Path.of("/proc", String.valueOf(pid), "status");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(status), "needs Linux's /proc");
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigCgt:")) {
                return new BigInteger(line.substring("SigCgt:".length()).strip(), 16).testBit(23 - 1);
            }
        }
        throw new IllegalStateException("no SigCgt in " + status);
    }
}
