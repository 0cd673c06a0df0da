package dev.jfail.explore;

import dev.jfail.spi.TestExploration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Failures as Java has them: what an injected exception breaks elsewhere, and what it does not. */
class FindingsTest {

    private final Points points = new Points();
    private final Workloads workloads = new Workloads(points);

    @Test
    void a_worker_that_dies_before_counting_down_leaves_the_main_thread_hanging() {
        Exploration e = Explorer.of(seed -> workloads.handOff(false)).registry(points.registry).seed(11)
                .strategies(EnumSet.of(Strategy.EXCEPTIONS, Strategy.DELAYS)).timeLimit(Duration.ofSeconds(1))
                .shrink(false).rateRuns(3).budget(Duration.ofSeconds(40), 60).explore();

        assertTrue(e.found(), e::summary);
        assertEquals(Finding.HANG, e.firstHit().finding(), e::summary);
        assertTrue(e.firstHit().candidate().settings().get("hand_work").contains("panic"), e::summary);
        assertTrue(e.summary().contains("a hang"), e::summary);
    }

    @Test
    void a_worker_that_dies_of_the_injected_exception_is_no_finding_when_nothing_waits_for_it_in_vain() {
        Exploration e = Explorer.of(seed -> workloads.handOff(true)).registry(points.registry).seed(11)
                .strategies(EnumSet.of(Strategy.EXCEPTIONS, Strategy.DELAYS)).timeLimit(Duration.ofSeconds(1))
                .budget(Duration.ofSeconds(20), 60).explore();

        assertFalse(e.found(), e::summary);
        assertTrue(e.tried().getOrDefault("exceptions", 0) >= 10, e.tried()::toString);
        assertTrue(e.trials().stream().anyMatch(t -> t.candidate().settings().getOrDefault("hand_work", "").contains("panic")),
                "a panic was injected at the worker's point");
    }

    @Test
    void a_failed_assertion_after_a_worker_died_of_the_injection_is_the_injections_doing() {
        Exploration e = Explorer.of(seed -> {
            int count = workloads.lostUpdate(true);
            if (count != 2) {
                throw new AssertionError("expected 2 but was " + count);   // as a test body would
            }
            return count;
        }).registry(points.registry).seed(4).strategies(EnumSet.of(Strategy.EXCEPTIONS))
                .budget(Duration.ofSeconds(10), 40).explore();

        assertFalse(e.found(), e::summary);
        assertTrue(e.trials().stream().anyMatch(t -> t.candidate().settings().getOrDefault("tick_read", "").contains("panic")),
                "a panic was injected in an incrementing thread");
    }

    @Test
    void a_half_made_update_shows_as_an_error_in_another_thread() {
        Exploration e = Explorer.of(seed -> workloads.halfUpdate(false)).registry(points.registry).seed(5)
                .budget(Duration.ofSeconds(30), 400).explore();

        assertTrue(e.found(), e::summary);
        assertEquals(Finding.ERROR_IN_ANOTHER_THREAD, e.finding(), e::summary);
        assertTrue(e.firstHit().detail().contains("in thread \"reader\"") && e.firstHit().detail().contains("IllegalStateException"),
                e.firstHit()::detail);
        assertTrue(e.shrunk().settings().get("store_item").contains("panic"), e::summary);
        assertTrue(TestExploration.message("half update", e, TestExploration.Framework.JUNIT)
                .contains(": an error in another thread"), e::summary);
    }

    @Test
    void the_fixed_update_and_an_exception_in_the_workloads_own_thread_are_no_finding() {
        Exploration update = Explorer.of(seed -> workloads.halfUpdate(true)).registry(points.registry).seed(5)
                .budget(Duration.ofSeconds(10), 150).explore();
        Exploration own = Explorer.of(seed -> {
            points.cross("parse_header");   // throws, when the explorer says panic, out of the workload
            return 0;
        }).registry(points.registry).seed(5).budget(Duration.ofSeconds(10), 150).explore();

        for (Exploration e : List.of(update, own)) {
            assertFalse(e.found(), e::summary);
            assertTrue(e.tried().containsKey("exceptions"), e.tried()::toString);
        }
        assertTrue(own.trials().stream().anyMatch(t -> t.candidate().settings().getOrDefault("parse_header", "").contains("panic")));
    }

    @Test
    void a_sighting_without_failpoints_goes_on_to_a_setting_that_fails_nearly_every_run() {
        long seed = 1;
        while (new java.util.SplittableRandom(seed).nextInt(8) != 0) {
            seed++;   // the plain first run fails: a sighting
        }
        Exploration e = Explorer.of(workloads::flaky).symptom(r -> r == 1).registry(points.registry).seed(seed)
                .budget(Duration.ofSeconds(30), 600).explore();

        assertTrue(e.found(), e::summary);
        assertEquals(0, e.firstHit().index(), "the first plain run failed");
        assertEquals(Map.of("cache_stale", "return(1)"), e.shrunk().settings(), e::summary);
        assertTrue(e.rateHits() >= 16 && e.rateRuns() == 20, e::summary);
        assertEquals(20, e.plainRuns(), e::summary);
        assertTrue(e.plainHits() < 16, e::summary);
        String message = TestExploration.message("flaky", e, TestExploration.Framework.JUNIT);
        assertTrue(message.contains("without failpoints it fails in " + e.plainHits() + " of 20 runs"), message);
        assertTrue(message.contains("@WithFailPoints(\"cache_stale=return(1)\")"), message);
    }

    @Test
    void among_two_hundred_points_it_watches_them_all_and_finds_where_the_threads_meet() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Exploration e = Explorer.of(seed -> workloads.lostUpdateAmong(200)).symptom(count -> count != 2)
                .registry(points.registry).seed(42).progress(lines::add).budget(Duration.ofSeconds(40), 1500).explore();

        assertTrue(e.found(), e::summary);
        assertEquals(202, e.watched());
        assertEquals(202, e.reached().size());
        assertEquals(List.of("tick_enter", "tick_read"), e.multiThread());
        // the interleaving is the points' doing (lostUpdateInTheWindow): only an action at tick_read
        // loses the update, however busy the machine, so the first hit set it and it shrinks to it alone
        assertTrue(e.firstHit().candidate().settings().containsKey("tick_read"), e::summary);
        assertEquals(List.of("tick_read"), List.copyOf(e.shrunk().settings().keySet()), e::summary);
        assertTrue(lines.stream().anyMatch(l -> l.contains("watching 202 points: 202 reached, 2 crossed by 2+ threads")),
                () -> lines.subList(0, Math.min(5, lines.size())).toString());
        // no setting touched more than a few points: a run stays a run
        e.trials().stream().filter(t -> List.of("delays", "failures", "counts", "exceptions").contains(t.candidate().strategy()))
                .forEach(t -> assertTrue(t.candidate().settings().size() <= 2 * Strategies.MANY, t.candidate()::toString));
    }
}
