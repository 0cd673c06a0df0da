package dev.jfail.explore;

import dev.jfail.core.JvmPoint;
import dev.jfail.spi.TestExploration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Points of several JVMs as one: qualified names routed to their JVM, and the explorer searching
 * across them. A second registry stands in for the other JVM (the integration test
 * {@code SearchAcrossJvmsIT} does it with real ones).
 */
class HostsTest {

    private final Points leader = new Points();      // this JVM's points
    private final Points follower = new Points();    // "the follower's JVM"

    @AfterEach
    void reset() {
        leader.registry.reset();
        follower.registry.reset();
    }

    private Hosts hosts() {
        return new Hosts(new LocalHost(leader.registry), List.of(new LocalHost("follower", follower.registry)));
    }

    @Test
    void only_a_prefix_naming_a_jvm_that_takes_part_qualifies_a_point() {
        Set<String> jvms = Set.of("follower");
        assertEquals(new JvmPoint("follower", "follower_apply"), JvmPoint.of("follower:follower_apply", jvms));
        assertEquals(new JvmPoint("follower", "follower_apply"), JvmPoint.of("debug.fail_point.follower:follower_apply", jvms));
        assertTrue(JvmPoint.of("pool:take", jvms).local(), "a point of this JVM whose name holds ':'");
        assertEquals("pool:take", JvmPoint.of("pool:take", jvms).qualified());
        assertTrue(JvmPoint.of("follower:", jvms).local());
        assertEquals("follower:follower_apply", new JvmPoint("follower", "follower_apply").qualified());
        assertEquals("pid4711", JvmPoint.qualifier("pid 4711"));
        assertThrows(IllegalArgumentException.class, () -> JvmPoint.qualifier("a:b"));
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> new Hosts(new LocalHost(leader.registry),
                List.of(new LocalHost("follower", follower.registry), new LocalHost("follower", new Points().registry))));
        assertTrue(twice.getMessage().contains("two JVMs are called follower"), twice.getMessage());
    }

    @Test
    void settings_counts_and_resets_go_to_the_jvm_the_name_routes_them_to() {
        leader.cross("leader_reply");
        follower.cross("follower_apply");
        Hosts hosts = hosts();
        assertEquals(List.of("leader_reply", "follower:follower_apply"), hosts.declaredNames());

        hosts.setAll(Map.of("follower:follower_apply", "return(1)", "leader_reply", Reach.COUNTING));
        assertEquals("return(1)", follower.registry.get("follower_apply"));
        assertEquals("off", leader.registry.get("follower_apply"));
        assertEquals(Reach.COUNTING, leader.registry.get("leader_reply"));

        follower.cross("follower_apply");
        follower.cross("follower_apply");
        leader.cross("leader_reply");
        assertEquals(Map.of("follower:follower_apply", 2L, "leader_reply", 1L),
                hosts.evaluations(List.of("follower:follower_apply", "leader_reply")));
        assertEquals(2, hosts.status("follower:follower_apply").fired("return"));

        hosts.seed(99);
        assertEquals(99, follower.registry.seed());
        hosts.reset();
        assertEquals("off", follower.registry.get("follower_apply"));
        assertEquals(Map.of("follower:follower_apply", 0L), hosts.evaluations(List.of("follower:follower_apply")));
    }

    /**
     * The follower applies a write on its applier thread; the leader answers, and the client reads
     * from the follower at once. {@code fixed}: the leader answers once the follower has applied.
     * Returns what the client read (null: it missed its own write).
     */
    private String readAfterWrite(boolean fixed) throws InterruptedException {
        AtomicReference<String> data = new AtomicReference<>();
        CountDownLatch sent = new CountDownLatch(1);
        Thread applier = new Thread(() -> {
            sent.countDown();
            follower.cross("follower_apply");
            data.set("1");
        }, "applier");
        applier.start();
        sent.await();
        if (fixed) {
            applier.join();
        } else {
            Thread.sleep(5);   // the window: the follower nearly always applies within it
        }
        leader.cross("leader_reply");
        String read = data.get();
        applier.join();
        return read;
    }

    @Test
    void an_order_holds_a_thread_at_a_point_of_the_other_jvm_and_the_hand_back_uses_its_handle() {
        Exploration e = Explorer.of(seed -> readAfterWrite(false)).symptom(read -> read == null)
                .registry(leader.registry).hosts(List.of(new LocalHost("follower", follower.registry)))
                .strategies(EnumSet.of(Strategy.ORDERS)).shrink(false)
                .seed(11).budget(Duration.ofSeconds(30), 400).explore();

        assertTrue(e.found(), e.summary());
        assertEquals(Map.of("follower", "follower"), e.jvms());
        Order order = e.shrunk().orders().get(0);
        assertEquals("follower:follower_apply", order.hold(), e.summary());
        assertTrue(e.reached().containsKey("follower:follower_apply") && e.reached().containsKey("leader_reply"), e.summary());
        assertEquals("off", follower.registry.get("follower_apply"), "every point off when it returns");

        Specs.Code code = new Specs.Code("the client reads its own write", List.of(), "readAfterWrite()", "result == null");
        String junit = Specs.junit(e, code);
        assertTrue(junit.contains("Hold held0 = follower.holdAt(\"follower_apply\", 1, 0);"), junit);
        assertTrue(junit.contains("follower = the JVM named \"follower\""), junit);
        assertTrue(junit.contains("follower.reset();"), junit);
        String spock = Specs.spock(e, code);
        assertTrue(spock.contains("def held0 = follower.holdAt('follower_apply', 1, 0)"), spock);
        assertTrue(spock.contains("cleanup:\n        follower.reset()"), spock);
        String message = TestExploration.message("reads", e, TestExploration.Framework.JUNIT);
        assertTrue(message.contains("Hold held0 = follower.holdAt(\"follower_apply\", 1, 0);")
                && message.contains("var run = CompletableFuture.runAsync(() -> body());"), message);
        if (order.until().equals("leader_reply")) {
            assertTrue(junit.contains("FailPoints.awaitFired(\"leader_reply\", 1);"), junit);
            assertTrue(spock.contains("def reached0 = watch('leader_reply')"), spock);
        }
    }

    @Test
    void the_fixed_twin_shows_nothing_and_no_exception_is_thrown_from_the_other_jvm() {
        Exploration e = Explorer.of(seed -> readAfterWrite(true)).symptom(read -> read == null)
                .registry(leader.registry).hosts(List.of(new LocalHost("follower", follower.registry)))
                .seed(12).budget(Duration.ofSeconds(4), 150).explore();

        assertFalse(e.found(), e.summary());
        assertNull(e.shrunk());
        assertTrue(e.reached().containsKey("follower:follower_apply"), e.summary());
        assertTrue(e.tried().containsKey(Strategy.EXCEPTIONS.label()) || e.runs() < 20, e.tried().toString());
        for (Trial t : e.trials()) {
            t.candidate().settings().forEach((point, setting) ->
                    assertFalse(point.startsWith("follower:") && setting.contains("panic"), t.candidate().toString()));
        }
    }

    @Test
    void an_other_jvms_points_in_a_settings_hand_back_go_on_its_handle() {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("follower:follower_apply", "50%sleep(5)");
        settings.put("leader_reply", "yield");
        Candidate c = new Candidate("shrunk", settings, List.of());
        Trial t = new Trial(3, 5, c, true, 100, List.of(), "null");
        Exploration e = new Exploration(true, 4, Duration.ofMillis(50), Duration.ofMillis(900), t, 4, Duration.ofMillis(50), c,
                19, 20, 5L, Map.of(), Map.of("delays", 2), List.of(t), Finding.WRONG_DATA, 0, 0, Map.of(), 2, List.of(),
                Map.of("follower", "follower"));
        String junit = Specs.junit(e, new Specs.Code("read", List.of(), "read()", "result == null"));
        assertTrue(junit.contains("    @WithFailPoints(\"leader_reply=yield\")\n"), junit);
        assertTrue(junit.contains("        follower.setAll(\"follower_apply=50%sleep(5)\");\n        follower.seed(5L);\n"), junit);
        assertFalse(junit.contains("@Seed"), "the local settings roll nothing: " + junit);
        assertEquals("follower:follower_apply=50%sleep(5);leader_reply=yield", e.failpoints(), "the replay keeps qualified names");
    }
}
