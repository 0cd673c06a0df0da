package dev.jfail.it;

import dev.jfail.it.fixture.TickApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every CLI command against a JVM started with {@code -javaagent} (and no
 * {@code -XX:+EnableDynamicAgentLoading}): all of them go over the owner-only control socket, none
 * loads the agent again, and the target ends up with no TCP port open and no warning printed. The
 * steps build on each other, hence the order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class ChannelIT {

    private Jvm target;
    private Path socket;
    private final List<Jvm.Result> runs = new ArrayList<>();

    @BeforeAll
    void startTarget() {
        target = Jvm.start(List.of("-javaagent:" + Jvm.agentJar(), "-cp", Jvm.fixtures().toString(), TickApp.class.getName()));
        target.awaitLine("tick=1 tock=ran third=1");
        socket = Path.of(System.getProperty("java.io.tmpdir"), ".jfail_pid" + target.pid());
    }

    @AfterAll
    void stopTarget() {
        target.close();
    }

    private Jvm.Result cli(Object... arguments) {
        Jvm.Result r = Jvm.cli(prepend(target.pid(), arguments));
        runs.add(r);
        return r;
    }

    private static Object[] prepend(Object first, Object[] rest) {
        Object[] all = new Object[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    @Order(1)
    void listReadAndSet() {
        Jvm.Result list = cli();
        assertEquals(0, list.exit(), list.toString());
        assertTrue(list.stdout().contains("debug.fail_point.tick: off  (evaluated 0)"), list.toString());
        Jvm.Result set = cli("debug.fail_point.tick=return(5)", "tock=return");
        assertEquals(List.of("debug.fail_point.tick: off -> return(5)", "debug.fail_point.tock: off -> return"), set.stdout(),
                set.toString());
        assertEquals(List.of(), set.stderr(), set.toString());
        target.awaitLine("tick=5 tock=skipped third=1");
        Jvm.Result values = cli("-n", "tick", "tock");
        assertEquals(List.of("return(5)", "return"), values.stdout(), values.toString());
    }

    @Test
    @Order(2)
    void json() {
        Jvm.Result r = cli("--json", "tick");
        assertEquals(1, r.stdout().size(), r.toString());
        assertTrue(r.out().startsWith("{\"pid\":" + target.pid() + ",\"points\":[{\"name\":\"tick\",\"setting\":\"return(5)\","
                + "\"declared\":true,\"sites\":[\"dev.jfail.it.fixture.Ticker.tick()\"]"), r.toString());
    }

    @Test
    @Order(3)
    void aBadSettingIsTheTargetsOneLineError() {
        Jvm.Result r = cli("tick=50%slep(10)");
        assertEquals(1, r.exit(), r.toString());
        assertEquals(1, r.stderr().size(), r.toString());
        assertTrue(r.err().startsWith("jfail: pid " + target.pid() + ": failpoint tick: 50%slep(10): "), r.toString());
    }

    @Test
    @Order(4)
    void aNameNoLoadedCodeDeclaresIsSetWithAWarningNamingTheClosest() {
        Jvm.Result r = cli("tikc=return(2)");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("debug.fail_point.tikc: off -> return(2)"), r.stdout(), r.toString());
        assertEquals(List.of("jfail: warning: no loaded code declares tikc (set anyway: a class that declares it"
                + " may load later); did you mean tick?"), r.stderr(), r.toString());
        assertEquals(List.of(), cli("tikc=off").stderr(), "turning it off is no typo to warn about");
    }

    @Test
    @Order(5)
    void declare() {
        Jvm.Result r = cli("--declare", "third_version@dev.jfail.it.fixture.ThirdParty#version()I", "third_version=return(3)");
        assertEquals(0, r.exit(), r.toString());
        target.awaitLine("tick=5 tock=skipped third=3");
    }

    @Test
    @Order(6)
    void statusShowsAHeldThreadFromTheUsersFrame() {
        assertEquals(0, cli("tick=pause").exit());
        await().atMost(Jvm.PATIENCE).untilAsserted(() -> {
            Jvm.Result status = cli("--status", "tick");
            assertTrue(status.out().contains("paused: \"main\""), status.toString());
            List<String> frames = status.stdout().stream().filter(l -> l.startsWith("      at ")).toList();
            assertTrue(frames.get(0).contains("dev.jfail.it.fixture.Ticker.tick(Ticker.java:"), status.toString());
            assertTrue(frames.get(1).contains("dev.jfail.it.fixture.TickApp.main(TickApp.java:"), status.toString());
        });
    }

    @Test
    @Order(7)
    void settingAHeldPointOffSaysItReleasedTheThread() {
        Jvm.Result r = cli("tick=off");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("debug.fail_point.tick: pause -> off  (released 1 held thread)"), r.toString());
        assertEquals(0, cli("tick=pause").exit()); // held again, for reset() to release
        await().atMost(Jvm.PATIENCE).untilAsserted(() -> assertTrue(cli("--status", "tick").out().contains("paused: \"main\"")));
    }

    @Test
    @Order(8)
    void reset() {
        Jvm.Result r = cli("--reset");
        assertEquals(0, r.exit(), r.toString());
        target.awaitLine("tick=1 tock=ran third=1");
    }

    @Test
    @Order(9)
    void theSocketIsTheOwnersOnly() throws IOException {
        assertTrue(Files.exists(socket), socket.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals(System.getProperty("user.name"), Files.getOwner(socket).getName());
    }

    @Test
    @Order(10)
    void anotherUserIsRefused(@TempDir Path dir) throws IOException {
        OtherUser.ensure();
        Path knock = OtherUser.knock(dir);
        Jvm.Result denied = OtherUser.java(List.of(knock.toString(), socket.toString()));
        assertEquals(List.of("refused: Permission denied"), denied.stdout(), "the socket's mode keeps them out: " + denied);

        // with the mode opened up (a careless chmod), the agent still refuses them by their credentials
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        try {
            Jvm.Result refused = OtherUser.java(List.of(knock.toString(), socket.toString()));
            assertEquals(List.of("connected: refused: user " + OtherUser.NAME + " does not own this JVM ("
                    + System.getProperty("user.name") + " does)"), refused.stdout(), refused.toString());
        } finally {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        }

        Jvm.Result cli = OtherUser.java(List.of("-jar", Jvm.agentJar().toString(), String.valueOf(target.pid()), "tick=return(9)"));
        assertEquals(1, cli.exit(), cli.toString());
        assertEquals("off", Jvm.cli(target.pid(), "-n", "tick").out(), "nothing changed");
    }

    @Test
    @Order(11)
    void noCommandLoadedTheAgentOrOpenedAPortAndTheTargetSawNoWarning() {
        assertTrue(runs.size() > 10, runs.toString());
        assertTrue(runs.stream().noneMatch(r -> r.err().contains("loaded the jfail agent")), runs.toString());
        assertEquals(List.of(), Sockets.listeningTcp(target.pid()), "TCP sockets the target listens on");
        assertEquals(List.of(), target.stderr(), "the target's stderr (JDK 21+ warns there of a dynamic agent load)");
        assertFalse(target.stdout().isEmpty());
    }
}
