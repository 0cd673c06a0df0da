package dev.jfail.explore;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExplorerTest {

    private final Points points = new Points();
    private final Workloads workloads = new Workloads(points);

    @Test
    void finds_a_lost_update_from_the_points_alone_and_shrinks_it_to_one_point() {
        // the window's interleaving decided by the points (lostUpdateInTheWindow): how far the
        // shrinking gets does not depend on the machine's load
        Exploration e = Explorer.of(seed -> workloads.lostUpdateInTheWindow()).symptom(count -> count != 2)
                .registry(points.registry).seed(42).budget(Duration.ofSeconds(30), 2000).explore();

        assertTrue(e.found(), e::summary);
        assertEquals(List.of("tick_read"), List.copyOf(e.shrunk().settings().keySet()), e::summary);
        assertFalse(e.shrunk().needsHolds(), e::summary);
        assertTrue(e.rate() >= 0.5, e::summary);
        assertEquals(List.of("tick_enter", "tick_read"), List.copyOf(e.reached().keySet()));
    }

    @Test
    void the_handed_back_setting_and_seed_reproduce_the_symptom_when_set_by_hand() throws Exception {
        Exploration e = Explorer.of(seed -> workloads.lostUpdate(false)).symptom(count -> count != 2)
                .registry(points.registry).seed(7).budget(Duration.ofSeconds(30), 2000).explore();
        assertTrue(e.found(), e::summary);

        // up to 200 tries: a shrunk setting may be a short delay, which a busy machine's slow thread start can outlast
        int lost = 0;
        for (int i = 0; i < 200 && lost == 0; i++) {
            points.registry.reset();
            points.registry.seed(e.seed());
            points.registry.setAll(e.failpoints());
            lost += workloads.lostUpdate(false) != 2 ? 1 : 0;
        }
        points.registry.reset();
        assertTrue(lost >= 1, "the setting " + e.failpoints() + " never lost an update in 200 runs");
    }

    @Test
    void a_bug_on_an_error_path_needs_an_injected_failure_at_a_later_crossing() {
        Exploration e = Explorer.of(seed -> workloads.leakOnError(false)).symptom(leaked -> leaked > 0)
                .registry(points.registry).seed(3).budget(Duration.ofSeconds(30), 2000).explore();

        assertTrue(e.found(), e::summary);
        assertTrue(List.of("failures", "counts").contains(e.firstHit().candidate().strategy()), e::summary);
        String setting = e.shrunk().settings().get("alloc_fails");
        assertTrue(setting != null && setting.contains("return(1)"), e::summary);
        assertEquals(1, e.shrunk().settings().size(), e::summary);
        assertEquals("1*off->1*return(1)", setting, e::summary);   // the first allocation failing leaks nothing
        assertEquals(e.rateRuns(), e.rateHits(), e::summary);    // a counted failure leaks every time
    }

    @Test
    void fixed_code_gives_no_false_alarm_within_the_budget() {
        Exploration update = Explorer.of(seed -> workloads.lostUpdate(true)).symptom(count -> count != 2)
                .registry(points.registry).seed(5).budget(Duration.ofSeconds(10), 120).explore();
        Exploration leak = Explorer.of(seed -> workloads.leakOnError(true)).symptom(leaked -> leaked > 0)
                .registry(points.registry).seed(5).budget(Duration.ofSeconds(20), 300).explore();

        for (Exploration e : List.of(update, leak)) {
            assertFalse(e.found(), e::summary);
            assertNull(e.shrunk());
            assertEquals("", e.failpoints());
            assertTrue(e.runs() == e.trials().size() && (e.runs() == 120 || e.runs() == 300)
                    || e.total().compareTo(Duration.ofSeconds(10)) >= 0, e::summary);
            assertTrue(e.tried().size() >= 4, "strategies tried: " + e.tried());
            assertTrue(e.summary().startsWith("no symptom in "), e::summary);
        }
        assertTrue(leak.tried().containsKey("failures"), leak::summary);
        assertTrue(update.tried().containsKey("orders"), update::summary);
    }

    @Test
    void every_run_is_recorded_with_its_seed_and_setting() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Exploration e = Explorer.of(seed -> workloads.lostUpdate(true)).symptom(count -> count != 2)
                .registry(points.registry).seed(100).budget(Duration.ofSeconds(20), 40).progress(lines::add).explore();

        assertEquals(40, e.trials().size());
        for (int i = 0; i < e.trials().size(); i++) {
            assertEquals(i, e.trials().get(i).index());
            assertEquals(100 + i, e.trials().get(i).seed());
        }
        assertEquals("none", e.trials().get(0).candidate().strategy());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("explore: 40 runs")), lines.toString());
    }

    @Test
    void a_run_that_throws_shows_the_symptom_unless_told_otherwise() {
        Explorer.Workload<Integer> failing = seed -> {
            if (points.crossBoolean("check_fails", false)) {
                throw new AssertionError("invariant broken");
            }
            return 0;
        };
        Exploration thrown = Explorer.of(failing).registry(points.registry).seed(1).budget(Duration.ofSeconds(20), 500).explore();
        assertTrue(thrown.found(), thrown::summary);
        assertTrue(thrown.firstHit().detail().contains("invariant broken"), thrown.firstHit()::detail);

        Exploration ignored = Explorer.of(failing).thrownIsSymptom(false).registry(points.registry).seed(1)
                .budget(Duration.ofSeconds(20), 50).explore();
        assertFalse(ignored.found(), ignored::summary);
    }

    @Test
    void only_the_given_points_are_used_and_an_unknown_one_is_refused_with_the_closest_names() {
        Exploration e = Explorer.of(seed -> workloads.lostUpdate(false)).symptom(count -> count != 2)
                .points(List.of("tick_enter")).registry(points.registry).seed(9).budget(Duration.ofSeconds(20), 60).explore();
        assertEquals(List.of("tick_enter"), List.copyOf(e.reached().keySet()));
        e.trials().forEach(t -> assertTrue(List.of("tick_enter").containsAll(t.candidate().settings().keySet()),
                t.candidate()::toString));

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> Explorer.of(seed -> workloads.lostUpdate(false)).points(List.of("tick_raed"))
                        .registry(points.registry).budget(Duration.ofSeconds(5), 10).explore());
        assertTrue(bad.getMessage().contains("tick_raed") && bad.getMessage().contains("tick_read"), bad.getMessage());
    }

    @Test
    void the_plain_baseline_sets_a_sleep_at_every_reached_point() {
        Exploration e = Explorer.of(seed -> workloads.lostUpdate(true)).symptom(count -> count != 2)
                .strategies(EnumSet.of(Strategy.SLEEPS_EVERYWHERE)).registry(points.registry).seed(2)
                .budget(Duration.ofSeconds(20), 12).explore();
        for (Trial t : e.trials().subList(2, e.trials().size())) {
            assertEquals(List.of("tick_enter", "tick_read"), List.copyOf(t.candidate().settings().keySet()));
            t.candidate().settings().values().forEach(s -> assertTrue(s.matches("50%sleep\\(\\d+\\)"), s));
        }
    }

    @Test
    void a_bad_budget_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> Explorer.of(seed -> 0).budget(Duration.ZERO, 10));
        assertThrows(IllegalArgumentException.class, () -> Explorer.of(seed -> 0).budget(Duration.ofSeconds(1), 0));
    }
}
