package dev.jfail.control;

import dev.jfail.FailPoints;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.jmx.FailPointsControl;
import dev.jfail.jmx.FailPointsMXBean;
import dev.jfail.jmx.PointStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
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
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
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
            long other = ProcessHandle.current().parent().orElseThrow().pid(); // a process of the same user
            IOException e = assertThrows(IOException.class, () -> ControlClient.connect(socket, other));
            assertTrue(e.getMessage().contains("serves pid " + PID + ", not " + other), e.getMessage());
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

    // --- hardening: what a client of the same user, or a fake server, can do to the other end ---

    /** A raw client: connected, greeted, nothing else. */
    private static SocketChannel rawClient(Path socket) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(socket));
        DataInputStream in = new DataInputStream(Channels.newInputStream(c));
        assertEquals(Wire.HELLO, Wire.readString(in));
        assertEquals(PID, in.readLong());
        return c;
    }

    /** Whether the server closed {@code c} (it reads end of stream); waits for it a while. */
    private static boolean closedByServer(SocketChannel c) {
        return Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> Channels.newInputStream(c).read() < 0);
    }

    private static List<Thread> controlThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("jfail-control")).toList();
    }

    @Test
    void idleConnectionsCostNoThreadAndTheOwnerIsStillAnswered() throws Exception {
        Path socket = ControlServer.socketPath(dir, PID);
        List<SocketChannel> idle = new ArrayList<>();
        try (ControlServer server = ControlServer.start(socket, target())) {
            int threadsBefore = controlThreads().size();
            for (int i = 0; i < 120; i++) {
                idle.add(rawClient(socket));
            }
            // one thread per connection was 120 threads here, and the accept thread died when none could be made
            assertEquals(threadsBefore, controlThreads().size(), controlThreads().toString());
            long start = System.nanoTime();
            try (ControlClient client = ControlClient.connect(socket, PID).orElseThrow()) {
                assertEquals("off", client.failPoints().status("ch_a").getSetting());
            }
            System.out.printf("status with 120 idle connections: %.1f ms%n", (System.nanoTime() - start) / 1e6);
            assertTrue(closedByServer(idle.get(0)), "the connection idle longest made room");
        } finally {
            for (SocketChannel c : idle) {
                c.close();
            }
        }
    }

    @Test
    void aConnectionThatSendsNothingIsClosed() throws IOException {
        Path socket = ControlServer.socketPath(dir, PID);
        try (ControlServer server = ControlServer.start(socket, target(), null, 200);
             SocketChannel silent = rawClient(socket)) {
            assertTrue(closedByServer(silent));
        }
    }

    @Test
    void aRequestNestedTooDeepOrTooLargeClosesThatConnectionAloneAndNothingEscapes() throws Exception {
        Path socket = ControlServer.socketPath(dir, PID);
        List<Throwable> escaped = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> escaped.add(e));
        try (ControlServer server = ControlServer.start(socket, target())) {
            // set("ch_a", [[[[...]]]]) 5,000 deep: a StackOverflowError in the reader before
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(body);
            Wire.writeString(out, "set");
            out.writeInt(2);
            Wire.write(out, "ch_a");
            for (int i = 0; i < 5000; i++) {
                out.writeByte('L');
                out.writeInt(1);
            }
            out.writeByte('N');
            try (SocketChannel deep = rawClient(socket)) {
                DataOutputStream frame = new DataOutputStream(Channels.newOutputStream(deep));
                Wire.writeFrame(frame, body);
                frame.flush();
                assertTrue(closedByServer(deep));
            }
            try (SocketChannel large = rawClient(socket)) { // announced larger than any request may be
                DataOutputStream frame = new DataOutputStream(Channels.newOutputStream(large));
                frame.writeInt(Wire.MAX_REQUEST_BYTES + 1);
                frame.flush();
                assertTrue(closedByServer(large));
            }
            try (ControlClient client = ControlClient.connect(socket, PID).orElseThrow()) {
                assertEquals("off", client.failPoints().get("ch_a"), "and the server answers on");
            }
            assertEquals(List.of(), escaped);
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void anErrorInOneCallIsThatCallsAnswerAndTheServerGoesOn() throws IOException {
        Path socket = ControlServer.socketPath(dir, PID);
        FailPointsMXBean real = target();
        FailPointsMXBean failing = (FailPointsMXBean) java.lang.reflect.Proxy.newProxyInstance(
                FailPointsMXBean.class.getClassLoader(), new Class<?>[] {FailPointsMXBean.class}, (proxy, method, args) -> {
                    if (method.getName().equals("reset")) {
                        throw new OutOfMemoryError("Java heap space");
                    }
                    return method.invoke(real, args);
                });
        try (ControlServer server = ControlServer.start(socket, failing);
             ControlClient client = ControlClient.connect(socket, PID).orElseThrow()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.failPoints().reset());
            assertTrue(e.getMessage().contains("Java heap space"), e.getMessage());
            assertEquals("off", client.failPoints().get("ch_a"));
            assertTrue(server.serving());
        }
    }

    /** A server that greets as {@code pid} and answers every request with {@code answer}. */
    private static Thread fakeServer(ServerSocketChannel fake, long pid, ByteArrayOutputStream answer) {
        Thread t = new Thread(() -> {
            try (SocketChannel c = fake.accept()) {
                DataOutputStream out = new DataOutputStream(Channels.newOutputStream(c));
                Wire.writeString(out, Wire.HELLO);
                out.writeLong(pid);
                DataInputStream in = new DataInputStream(Channels.newInputStream(c));
                Wire.readFrame(in, Wire.MAX_REQUEST_BYTES);
                Wire.writeFrame(out, answer);
                out.flush();
                in.read();
            } catch (IOException ignored) {
                // the client hung up
            }
        }, "fake-server");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void anAnswerNestedTooDeepIsRefusedNotAStackOverflow() throws Exception {
        Path socket = ControlServer.socketPath(dir, PID);
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(answer);
        out.writeByte('=');
        for (int i = 0; i < 200_000; i++) {
            out.writeByte('L');
            out.writeInt(1);
        }
        out.writeByte('N');
        try (ServerSocketChannel fake = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            fake.bind(UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            fakeServer(fake, PID, answer);
            try (ControlClient client = ControlClient.connect(socket, PID).orElseThrow()) {
                Throwable e = assertThrows(java.lang.reflect.UndeclaredThrowableException.class,
                        () -> client.failPoints().list()).getCause();
                assertTrue(e.getMessage().contains("nested more than " + Wire.MAX_DEPTH), e.getMessage());
            }
        }
    }

    @Test
    void aSocketOpenToOthersOrASymbolicLinkIsNotTheTargetsAndNothingIsSent() throws IOException {
        Path socket = ControlServer.socketPath(dir, PID);
        try (ControlServer server = ControlServer.start(socket, target())) {
            Path link = ControlServer.socketPath(dir, PID + 1_000_000);
            Files.createSymbolicLink(link, socket);
            IOException e = assertThrows(IOException.class, () -> ControlClient.connect(link, PID));
            assertTrue(e.getMessage().startsWith(link + " is a symbolic link of user "), e.getMessage());
            assertTrue(e.getMessage().contains("remove it (as root"), e.getMessage());

            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            e = assertThrows(IOException.class, () -> ControlClient.connect(socket, PID));
            assertTrue(e.getMessage().contains("is open to other users (rw-rw-rw-)"), e.getMessage());
        }
    }

    @Test
    void aServerWhoseSocketFileWasRemovedSaysItNoLongerServes() throws IOException {
        Path socket = ControlServer.socketPath(dir, PID);
        try (ControlServer server = ControlServer.start(socket, target())) {
            assertTrue(server.serving());
            Files.delete(socket);
            assertFalse(server.serving(), "nobody can reach it: the next knock must open another");
        }
    }

    @Test
    void theWireRefusesADeepValue() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (int i = 0; i < Wire.MAX_DEPTH; i++) {
            out.writeByte('L');
            out.writeInt(1);
        }
        out.writeByte('N');
        IOException e = assertThrows(IOException.class,
                () -> Wire.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))));
        assertTrue(e.getMessage().contains("nested more than"), e.getMessage());
        // one less is fine
        byte[] ok = java.util.Arrays.copyOfRange(bytes.toByteArray(), 5, bytes.size());
        assertEquals("[".repeat(Wire.MAX_DEPTH - 1) + "null" + "]".repeat(Wire.MAX_DEPTH - 1),
                String.valueOf(Wire.read(new DataInputStream(new ByteArrayInputStream(ok)))));
    }
}
