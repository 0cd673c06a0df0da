package dev.jfail.control;

import dev.jfail.FailPoints;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.jmx.FailPointsControl;
import dev.jfail.jmx.FailPointsMXBean;
import dev.jfail.jmx.PointStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control channel in one JVM: a server on a socket in a temporary directory and a client of it. */
class ControlChannelTest {

    private static final long PID = ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @AfterEach
    void off() {
        FailPoints.off("ch_a");
        FailPoints.off("ch_b");
    }

    private static FailPointsMXBean target() {
        return new FailPointsControl(FailPointRegistry.global());
    }

    @Test
    void everyOperationGoesThroughAndComesBack() throws IOException {
        Path socket = ControlServer.socketPath(dir, PID);
        try (ControlServer server = ControlServer.start(socket, target());
             ControlClient client = ControlClient.connect(socket, PID).orElseThrow()) {
            FailPointsMXBean remote = client.failPoints();
            remote.set("ch_a", "50%sleep(10)");
            assertEquals("50%sleep(10)", FailPoints.get("ch_a"));
            assertEquals("50%sleep(10)", remote.get("ch_a"));
            remote.setAll("ch_a=return(1);ch_b=5*return(22)->off");
            assertEquals("return(1)", remote.list().get("ch_a"));
            PointStatus status = remote.status("ch_b");
            assertEquals("ch_b", status.getName());
            assertEquals("5*return(22)", status.getSetting(), "the read-back drops a final ->off, as FreeBSD does");
            assertFalse(status.isDeclared());
            assertEquals(Map.of(), status.getFired());
            assertTrue(remote.statusAll().stream().anyMatch(s -> s.getName().equals("ch_a")));
            remote.off("ch_a");
            assertEquals("off", FailPoints.get("ch_a"));
            remote.setSeed(7);
            assertEquals(7, remote.getSeed());
            assertEquals(List.of(), remote.getDeclarations());
            assertTrue(socket.equals(server.path()));
        }
    }

    @Test
    void aRefusedCallIsTheTargetsOneLineErrorAndChangesNothing() throws IOException {
        Path socket = ControlServer.socketPath(dir, PID);
        try (ControlServer server = ControlServer.start(socket, target());
             ControlClient client = ControlClient.connect(socket, PID).orElseThrow()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.failPoints().setAll("ch_a=return(1);ch_b=50%slep(10)"));
            assertTrue(e.getMessage().startsWith("failpoint ch_b: 50%slep(10): "), e.getMessage());
            assertEquals("off", FailPoints.get("ch_a"), "all or nothing");
            IllegalStateException noAgent = assertThrows(IllegalStateException.class,
                    () -> client.failPoints().declare("x@com.foo.Bar#baz"));
            assertTrue(noAgent.getMessage().contains("not loaded"), noAgent.getMessage());
            assertEquals("off", client.failPoints().get("ch_a"), "the connection serves on after an error");
        }
    }

    @Test
    void theSocketIsTheOwnersOnlyAndNothingIsLeftBeside() throws IOException {
        Path socket = ControlServer.socketPath(dir, PID);
        try (ControlServer server = ControlServer.start(socket, target())) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            try (Stream<Path> files = Files.list(dir)) {
                assertEquals(List.of(socket), files.toList(), "the staging directory is gone");
            }
        }
        assertFalse(Files.exists(socket), "closing removes the socket");
    }

    @Test
    void aStaleSocketIsNoServerAndTheNextServerReplacesIt() throws IOException {
        Path socket = ControlServer.socketPath(dir, PID);
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket)); // a JVM that died without removing its socket
        }
        assertTrue(Files.exists(socket));
        assertTrue(ControlClient.connect(socket, PID).isEmpty(), "nobody listens: no server, no error");
        try (ControlServer server = ControlServer.start(socket, target());
             ControlClient client = ControlClient.connect(socket, PID).orElseThrow()) {
            assertEquals("off", client.failPoints().get("ch_a"));
        }
    }

    @Test
    void aSocketThatServesAnotherPidIsRefused() throws IOException {
        Path socket = ControlServer.socketPath(dir, PID);
        try (ControlServer server = ControlServer.start(socket, target())) {
            IOException e = assertThrows(IOException.class, () -> ControlClient.connect(socket, PID + 1));
            assertTrue(e.getMessage().contains("serves pid " + PID + ", not " + (PID + 1)), e.getMessage());
        }
    }

    @Test
    void closingLeavesAnotherServersSocketAlone() throws IOException {
        Path socket = ControlServer.socketPath(dir, PID);
        ControlServer first = ControlServer.start(socket, target());
        try (ControlServer second = ControlServer.start(socket, target())) {
            first.close();
            assertTrue(Files.exists(socket), "the first server's close must not remove the second's socket");
            try (ControlClient client = ControlClient.connect(socket, PID).orElseThrow()) {
                assertEquals("off", client.failPoints().get("ch_a"));
            }
        }
    }

    @Test
    void noSocketIsNoServer() throws IOException {
        assertTrue(ControlClient.connect(ControlServer.socketPath(dir, PID), PID).isEmpty());
    }

    @Test
    void theWireCarriesAPointStatusWhole() throws IOException {
        PointStatus status = new PointStatus("p", "pause", true, List.of("a.B.c()"), 12,
                Map.of("pause", 1L), List.of(new PointStatus.HeldThread("main", 1, "PAUSED", List.of("a.B.c(B.java:3)"))));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Wire.write(new DataOutputStream(bytes), List.of(status));
        List<?> back = (List<?>) Wire.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        PointStatus p = (PointStatus) back.get(0);
        assertEquals(List.of("p", "pause", true, List.of("a.B.c()"), 12L, Map.of("pause", 1L)),
                List.of(p.getName(), p.getSetting(), p.isDeclared(), p.getSites(), p.getEvaluations(), p.getFired()));
        PointStatus.HeldThread t = p.getThreads().get(0);
        assertEquals(List.of("main", 1L, "PAUSED", List.of("a.B.c(B.java:3)")),
                List.of(t.getThreadName(), t.getThreadId(), t.getState(), t.getStack()));
    }

    @Test
    void theWireRefusesAnAbsurdLength() {
        byte[] bytes = {'S', 0x7f, 0, 0, 0};
        IOException e = assertThrows(IOException.class,
                () -> Wire.read(new DataInputStream(new ByteArrayInputStream(bytes))));
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
    }
}
