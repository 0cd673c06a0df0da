package dev.jfail.explore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConductorTest {

    private final Points points = new Points();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void reset() {
        points.registry.reset();
    }

    private Thread start(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.start();
        return t;
    }

    private Conductor conduct(Order order) {
        points.cross("a");
        points.cross("b");
        points.registry.setAll("a=" + Reach.COUNTING + ";b=" + Reach.COUNTING);
        return Conductor.start(new Hosts(new LocalHost(points.registry), List.of()), List.of(order));
    }

    @Test
    void a_thread_held_at_a_goes_on_only_once_another_reached_b() throws InterruptedException {
        try (Conductor ignored = conduct(new Order("a", 1, "b", 0, 60_000))) {
            Thread first = start("first", () -> {
                points.cross("a");
                log.add("first past a");
            });
            await().atMost(30, TimeUnit.SECONDS).until(() -> !points.registry.status("a").paused().isEmpty());
            Thread.sleep(50);   // held, whatever the scheduler does meanwhile
            assertEquals(List.of(), log);
            log.add("second at b");
            points.cross("b");
            first.join(30_000);
            assertFalse(first.isAlive());
            assertEquals(List.of("second at b", "first past a"), log);
        }
    }

    @Test
    void a_hold_of_a_crossing_that_never_comes_holds_nobody() throws InterruptedException {
        CountDownLatch firstDone = new CountDownLatch(1);
        try (Conductor c = conduct(new Order("a", 2, "b", 0, 60_000))) {
            Thread first = start("first", () -> {
                points.cross("a");
                log.add("first past a");
                firstDone.countDown();
            });
            assertTrue(firstDone.await(30, TimeUnit.SECONDS), "the first crossing of a was held");
            log.add("second at b");
            points.cross("b");
            first.join(30_000);
            assertEquals(List.of("first past a", "second at b"), log);
            assertEquals(0, c.heldMillis(0));
        }
    }

    @Test
    void a_hold_ends_after_its_longest_wait_when_the_other_point_is_never_reached() throws InterruptedException {
        try (Conductor c = conduct(new Order("a", 1, "never_reached", 0, 5))) {
            Thread first = start("first", () -> {
                points.cross("a");
                log.add("first past a");
            });
            first.join(30_000);
            assertFalse(first.isAlive());
            assertEquals(List.of("first past a"), log);
            assertTrue(c.heldMillis(0) >= 5, "held " + c.heldMillis(0) + " ms");
        }
    }
}
