package dev.jfail.explore;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecsTest {

    private static final Specs.Code CODE = new Specs.Code("two increments make two", List.of("com.example.Counter"),
            "Counter.incrementTwice()", "result != 2");

    private static Exploration found(Candidate c, int hits, int runs, long seed) {
        Trial t = new Trial(3, seed, c, true, 100, List.of(), "1");
        return new Exploration(true, 4, Duration.ofMillis(50), Duration.ofMillis(900), t, 4, Duration.ofMillis(50), c, hits, runs, seed,
                Map.of("tick_read", 2L), Map.of("delays", 2), List.of(t));
    }

    @Test
    void a_setting_becomes_the_settings_annotation_and_a_repeat_that_fails_with_99_percent_odds() {
        Exploration e = found(new Candidate("shrunk", Map.of("tick_read", "50%sleep(1)"), List.of()), 10, 20, 77);

        String spock = Specs.spock(e, CODE);
        assertTrue(spock.contains("    @WithFailPoints('tick_read=50%sleep(1)')\n    @Seed(77L)\n"), spock);
        assertTrue(spock.contains("def result = Counter.incrementTwice()\n"), spock);
        assertTrue(spock.contains("!(result != 2)"), spock);
        assertTrue(spock.contains("run << (1..7)"), spock);   // 1 - 0.5^7 > 0.99
        assertTrue(spock.contains("com.example.Counter") && spock.contains("in 10 of 20 runs"), spock);

        String junit = Specs.junit(e, CODE);
        assertTrue(junit.contains("    @RepeatedTest(7)\n    @WithFailPoints(\"tick_read=50%sleep(1)\")\n    @Seed(77L)\n"), junit);
        assertTrue(junit.contains("void twoIncrementsMakeTwo() throws Exception {"), junit);
        assertTrue(junit.contains("assertFalse(result != 2, "), junit);
    }

    @Test
    void a_counted_setting_needs_no_seed_and_one_run_when_it_always_shows() {
        Exploration e = found(new Candidate("shrunk", Map.of("alloc_fails", "1*off->1*return(1)"), List.of()), 20, 20, 5);
        String junit = Specs.junit(e, CODE);
        assertTrue(junit.contains("    @Test\n    @WithFailPoints(\"alloc_fails=1*off->1*return(1)\")\n    void"), junit);
        assertTrue(!Specs.spock(e, CODE).contains("@Seed") && !Specs.spock(e, CODE).contains("where:"));
    }

    @Test
    void an_order_becomes_a_hold_released_once_the_other_point_is_reached() {
        Exploration e = found(new Candidate("shrunk", Map.of(), List.of(new Order("a", 2, "b", 0, 100))), 8, 8, 5);
        String spock = Specs.spock(e, CODE);
        assertTrue(spock.contains("def held0 = holdAt('a', passing: 1)\n        def reached0 = watch('b')\n"), spock);
        assertTrue(spock.contains("held0.awaitHeld()\n        reached0.awaitHits(1)\n        held0.release()\n"), spock);
        String junit = Specs.junit(e, CODE);
        assertTrue(junit.contains("Hold held0 = FailPoints.holdAt(\"a\", 1, 1);"), junit);
        assertTrue(junit.contains("FailPoints.awaitFired(\"b\", 1);"), junit);
    }

    @Test
    void repeats() {
        assertEquals(1, Specs.repeats(1.0));
        assertEquals(7, Specs.repeats(0.5));
        assertEquals(44, Specs.repeats(0.1));
        assertEquals(200, Specs.repeats(0));
    }

    @Test
    void shapes_the_shrinker_rewrites_read_back_as_written() {
        for (String s : List.of("50%sleep(10)", "return(1)", "1*off->1*return(1)", "3*yield", "12.5%delay(100)", "2*off->1*sleep(5)")) {
            assertEquals(s, Terms.shape(s).text());
        }
        assertEquals(null, Terms.shape("return(1)->sleep(1)"));
        assertEquals(4, Terms.shape("50%sleep(10)").pieces());
        assertEquals(4, Terms.shape("1*off->1*return(1)").pieces());
        assertEquals("2*off->1*pause", new Order("p", 3, "q", 0, 10).pauseSetting());
    }

    @Test
    void points_that_were_declared_come_back_with_their_explicit_declarations() {
        Candidate c = new Candidate("shrunk", Map.of("pool_take_gap", "sleep(5)", "annotated_one", "return(1)"),
                List.of(new Order("pool_put_exit", 1, "annotated_one", 0, 20)));
        Map<String, List<String>> agent = Map.of("other", List.of("other@com.acme.Other#run()V"),
                "pool_take_gap", List.of("pool_take_gap@com.acme.Pool#take()Ljava/lang/Object;:line=88"),
                "pool_put_exit", List.of("pool_put_exit@com.acme.Pool#put(Ljava/lang/Object;)V:exit",
                        "pool_put_exit@com.acme.Pool#putAll(Ljava/util/List;)V:exit"));
        Map<String, String> declared = Declarations.of(c, p -> agent.getOrDefault(p, List.of()));
        assertEquals(Map.of("pool_take_gap", "pool_take_gap@com.acme.Pool#take()Ljava/lang/Object;:line=88",
                "pool_put_exit", "pool_put_exit@com.acme.Pool#put(Ljava/lang/Object;)V:exit,"
                        + "pool_put_exit@com.acme.Pool#putAll(Ljava/util/List;)V:exit"), declared);

        Candidate one = new Candidate("shrunk", Map.of("pool_take_gap", "sleep(5)"), List.of());
        Trial t = new Trial(3, 9, one, true, 100, List.of(), "1", Finding.DEADLOCK);
        Exploration e = new Exploration(true, 4, Duration.ofMillis(50), Duration.ofMillis(900), t, 4, Duration.ofMillis(50), one,
                19, 20, 9L, Map.of("pool_take_gap", 2L), Map.of("delays", 2), List.of(t), Finding.DEADLOCK, 3, 20,
                Declarations.of(one, p -> agent.getOrDefault(p, List.of())), 300, List.of());

        String junit = Specs.junit(e, CODE);
        assertTrue(junit.contains("    @WithFailPoints(value = \"pool_take_gap=sleep(5)\", "
                + "points = \"pool_take_gap@com.acme.Pool#take()Ljava/lang/Object;:line=88\")\n"), junit);
        assertTrue(junit.contains("in 19 of 20 runs (a deadlock); without failpoints it fails in 3 of 20 runs"), junit);
        String spock = Specs.spock(e, CODE);
        assertTrue(spock.contains("    @WithFailPoints(value = 'pool_take_gap=sleep(5)', "
                + "points = 'pool_take_gap@com.acme.Pool#take()Ljava/lang/Object;:line=88')\n"), spock);
        String message = TestExploration.message("pool", e, TestExploration.Framework.SPOCK);
        assertTrue(message.contains("in 19 of 20 runs (seed 9): a deadlock; without failpoints it fails in 3 of 20 runs"), message);
        assertTrue(message.contains("@WithFailPoints(value = 'pool_take_gap=sleep(5)', points = 'pool_take_gap@"), message);
        assertEquals("pool_take_gap@com.acme.Pool#take()Ljava/lang/Object;:line=88", e.points());
    }
}
