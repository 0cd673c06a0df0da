package dev.jfail.explore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConductorTest {

    private final Points points = new Points();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @AfterEach
    void reset() {
        points.registry.reset();
    }

    /** "first" crosses a, then logs; "second" sleeps 30 ms, crosses b, then logs. */
    private long race(Order order) throws InterruptedException {
        points.cross("a");
        points.cross("b");
        points.registry.setAll("a=" + Reach.COUNTING + ";b=" + Reach.COUNTING);
        try (Conductor c = Conductor.start(points.registry, List.of(order))) {
            Thread first = new Thread(() -> {
                points.cross("a");
                log.add("first past a");
            }, "first");
            Thread second = new Thread(() -> {
                try {
                    Thread.sleep(30);
                } catch (InterruptedException e) {
                    return;
                }
                log.add("second at b");
                points.cross("b");
            }, "second");
            first.start();
            second.start();
            first.join(5000);
            second.join(5000);
            return c.heldMillis(0);
        }
    }

    @Test
    void a_thread_held_at_a_goes_on_only_once_another_reached_b() throws InterruptedException {
        long held = race(new Order("a", 1, "b", 0, 5000));
        assertEquals(List.of("second at b", "first past a"), log);
        assertTrue(held > 0 && held < 5000, "held " + held + " ms");
    }

    @Test
    void without_the_order_the_first_thread_is_past_a_long_before() throws InterruptedException {
        race(new Order("b", 2, "a", 0, 5000));   // holds a crossing of b that never comes
        assertEquals(List.of("first past a", "second at b"), log);
    }

    @Test
    void a_hold_ends_after_its_longest_wait_when_b_never_comes() throws InterruptedException {
        long start = System.nanoTime();
        race(new Order("a", 1, "never_reached", 0, 5));
        assertEquals(List.of("first past a", "second at b"), log);
        assertTrue(System.nanoTime() - start < 2_000_000_000L);
    }
}
