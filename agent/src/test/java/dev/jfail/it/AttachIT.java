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

import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sysctl of jfail against a real second JVM that was started WITHOUT the agent: the CLI attaches
 * by pid, loads the agent (which retransforms the already-loaded annotated classes and opens its
 * control socket), and every change it makes shows in the target's behaviour. The steps build on each other, hence the order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class AttachIT {

    private Jvm target;

    @BeforeAll
    void startTarget() {
        // -XX:+EnableDynamicAgentLoading: JDK 21+ would warn about the agent loaded by attach
        target = Jvm.start(List.of("-XX:+EnableDynamicAgentLoading", "-cp", Jvm.fixtures().toString(),
                TickApp.class.getName()));
        target.awaitLine("tick=1 tock=ran third=1");
    }

    @AfterAll
    void stopTarget() {
        target.close();
    }

    @Test
    @Order(1)
    void listingLoadsTheAgentAndShowsTheAlreadyLoadedPoints() {
        Jvm.Result r = Jvm.cli(target.pid());
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("jfail: loaded the jfail agent into pid " + target.pid()), r.toString());
        assertTrue(r.stdout().contains("debug.fail_point.tick: off  (evaluated 0)"), r.toString());
        assertTrue(r.stdout().contains("debug.fail_point.tock: off  (evaluated 0)"), r.toString());
    }

    @Test
    @Order(2)
    void settingAPointChangesTheTargetsBehaviour() {
        Jvm.Result r = Jvm.cli(target.pid(), "debug.fail_point.tick=return(5)", "tock=return");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("debug.fail_point.tick: off -> return(5)", "debug.fail_point.tock: off -> return"), r.stdout());
        target.awaitLine("tick=5 tock=skipped third=1");
    }

    @Test
    @Order(3)
    void readingOnePointShowsItsSettingAndCounters() {
        Jvm.Result r = Jvm.cli(target.pid(), "tick");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, r.stdout().size(), r.toString());
        assertTrue(r.stdout().get(0).matches("debug\\.fail_point\\.tick: return\\(5\\)  \\(evaluated \\d+, fired return \\d+\\)"),
                r.toString());
        Jvm.Result values = Jvm.cli(target.pid(), "-n", "tick", "tock");
        assertEquals(List.of("return(5)", "return"), values.stdout(), values.toString());
    }

    @Test
    @Order(4)
    void theListingAsJson() {
        Jvm.Result r = Jvm.cli(target.pid(), "--json");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(1, r.stdout().size(), r.toString());
        String json = r.stdout().get(0);
        assertTrue(json.startsWith("{\"pid\":" + target.pid() + ",\"points\":["), json);
        assertTrue(json.contains("{\"name\":\"tick\",\"setting\":\"return(5)\",\"declared\":true,"
                + "\"sites\":[\"dev.jfail.it.fixture.Ticker.tick()\"],"), json);
    }

    @Test
    @Order(5)
    void aBadSettingIsOneLineFromTheTargetAndChangesNothing() {
        Jvm.Result r = Jvm.cli(target.pid(), "tick=50%slep(10)", "tock=off");
        assertEquals(1, r.exit(), r.toString());
        assertEquals(List.of(), r.stdout(), r.toString());
        assertEquals(1, r.stderr().size(), r.toString());
        assertTrue(r.err().startsWith("jfail: pid " + target.pid() + ": failpoint tick: 50%slep(10): "), r.toString());
        assertTrue(r.err().contains("column"), r.toString());
        assertEquals(List.of("return(5)", "return"), Jvm.cli(target.pid(), "-n", "tick", "tock").stdout(),
                "all or nothing: tock=off must not have been applied either");
    }

    @Test
    @Order(6)
    void aReturnTheMethodCannotTakeIsRefusedNamingTheMethod() {
        Jvm.Result r = Jvm.cli(target.pid(), "tock=off", "tick=return(0x100000000)");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("dev.jfail.it.fixture.Ticker.tick()"), r.toString());
        assertEquals(1, r.stderr().size(), r.toString());
    }

    @Test
    @Order(7)
    void aDeclarationGivesThirdPartyCodeAFailPointAtRunTime() {
        Jvm.Result bad = Jvm.cli(target.pid(), "--declare", "third_version@dev.jfail.it.fixture.ThirdParty");
        assertEquals(1, bad.exit(), bad.toString());
        assertEquals(List.of("jfail: pid " + target.pid() + ": bad failpoint declaration"
                + " 'third_version@dev.jfail.it.fixture.ThirdParty': expected NAME@CLASS#METHOD[(DESCRIPTOR)][:POSITION],"
                + " e.g. slow_fetch@com.foo.Client#fetch(Ljava/lang/String;)"), bad.stderr());
        Jvm.Result r = Jvm.cli(target.pid(), "--declare", "third_version@dev.jfail.it.fixture.ThirdParty#version()I",
                "third_version=return(3)");
        assertEquals(0, r.exit(), r.toString());
        target.awaitLine("tick=5 tock=skipped third=3");
        Jvm.Result status = Jvm.cli(target.pid(), "--status", "third_version");
        assertTrue(status.out().contains("site dev.jfail.it.fixture.ThirdParty.version()"), status.toString());
    }

    @Test
    @Order(7)
    void aDeclarationAtAPositionNamesItsSiteWithThePosition() {
        Jvm.Result r = Jvm.cli(target.pid(), "--declare", "third_exit@dev.jfail.it.fixture.ThirdParty#version:exit",
                "third_version=off", "third_exit=return(4)");
        assertEquals(0, r.exit(), r.toString());
        target.awaitLine("tick=5 tock=skipped third=4");
        Jvm.Result status = Jvm.cli(target.pid(), "--status", "third_exit");
        assertTrue(status.out().contains("site dev.jfail.it.fixture.ThirdParty.version():exit"), status.toString());
        assertEquals(0, Jvm.cli(target.pid(), "third_exit=off").exit());
        target.awaitLine("tick=5 tock=skipped third=1");
    }

    @Test
    @Order(7)
    void aDeclarationNamingWhatALoadedClassLacksIsRefusedInOneLine() {
        Jvm.Result line = Jvm.cli(target.pid(), "--declare", "gap@dev.jfail.it.fixture.ThirdParty#version:line=9999");
        assertEquals(1, line.exit(), line.toString());
        assertEquals(1, line.stderr().size(), line.toString());
        assertTrue(line.err().matches("jfail: pid \\d+: declaration gap@dev.jfail.it.fixture.ThirdParty#version:line=9999"
                + " refused: dev.jfail.it.fixture.ThirdParty.version\\(\\)I has no line 9999; its lines are \\d+"),
                line.toString());
        Jvm.Result method = Jvm.cli(target.pid(), "--declare", "nope@dev.jfail.it.fixture.ThirdParty#frob");
        assertEquals(1, method.exit(), method.toString());
        assertEquals(List.of("jfail: pid " + target.pid() + ": declaration nope@dev.jfail.it.fixture.ThirdParty#frob"
                + " refused: dev.jfail.it.fixture.ThirdParty has no method frob; its methods are name, version"),
                method.stderr());
        Jvm.Result list = Jvm.cli(target.pid(), "--json");
        assertFalse(list.out().contains("\"gap\""), list.toString());
        assertFalse(list.out().contains("\"nope\""), list.toString());
    }

    @Test
    @Order(8)
    void aPausedThreadShowsInTheStatusWithItsStack() {
        Jvm.Result r = Jvm.cli(target.pid(), "tick=pause");
        assertEquals(0, r.exit(), r.toString());
        await().atMost(Jvm.PATIENCE).untilAsserted(() -> {
            Jvm.Result status = Jvm.cli(target.pid(), "--status", "tick");
            assertTrue(status.out().contains("paused: \"main\""), status.toString());
            assertTrue(status.out().contains("dev.jfail.it.fixture.Ticker.tick(Ticker.java:"), status.toString());
            assertTrue(status.stdout().get(0).endsWith("1 thread held)"), status.toString());
        });
    }

    @Test
    @Order(9)
    void resetTurnsEverythingOffAndTheTargetIsItselfAgain() {
        Jvm.Result r = Jvm.cli(target.pid(), "--reset");
        assertEquals(0, r.exit(), r.toString());
        assertFalse(r.err().contains("loaded the jfail agent"), "loaded once, not again: " + r);
        target.awaitLine("tick=1 tock=ran third=1");
        assertTrue(r.stdout().stream().allMatch(l -> l.contains(": off ")), r.toString());
    }

    @Test
    @Order(10)
    void theTargetNeverSawAWarningOrErrorAndOpenedNoPort() {
        assertEquals(List.of(), target.stderr(), "the target's stderr");
        assertEquals(List.of(), Sockets.listeningTcp(target.pid()), "TCP sockets the target listens on");
    }
}
