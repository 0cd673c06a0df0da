package dev.jfail.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.invoke.MethodHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.awaitility.core.ConditionFactory;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Counts stay exact and settings stay whole under any number of threads. */
@Timeout(60)
class ConcurrencyTest {

    private static final int THREADS = 8;

    private final FailPointRegistry registry = new FailPointRegistry(7);
    private final FailPointState point = registry.point("hammered");
    private final MethodHandle check = Checks.armedCheck(point);

    private static ConditionFactory soon() {
        return await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1));
    }

    /** Runs {@code body} on THREADS threads started together; returns once all have ended. */
    private static void onThreads(Runnable body) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                body.run();
            }, "hammer-" + i);
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(50_000);
            assertFalse(t.isAlive(), t.getName() + " did not finish");
        }
    }

    @Test
    void eightThreadsSeeExactlyNFires() throws Throwable {
        int n = 100_000;
        registry.set("hammered", n + "*return(1)");
        LongAdder fires = new LongAdder();
        onThreads(() -> {
            while (point.isArmed()) {
                if (point.evaluate() instanceof Outcome.Return) {
                    fires.increment();
                }
            }
            for (int i = 0; i < 1000; i++) { // and after it went stale, nothing more
                if (point.evaluate() instanceof Outcome.Return) {
                    fires.increment();
                }
            }
        });
        assertEquals(n, fires.sum());
        assertEquals(n, registry.status("hammered").fired("return"));
        assertFalse(point.isArmed());
        assertFalse((boolean) check.invokeExact());
        assertEquals("off", registry.get("hammered"));
    }

    @Test
    void countsAreExactWithAProbabilityToo() throws InterruptedException {
        registry.set("hammered", "30%5000*return(1)->1000*return(2)");
        AtomicLongArray byValue = new AtomicLongArray(3);
        onThreads(() -> {
            while (point.isArmed()) {
                if (point.evaluate() instanceof Outcome.Return r) {
                    byValue.incrementAndGet((int) r.value());
                }
            }
        });
        assertEquals(5000, byValue.get(1));
        assertEquals(1000, byValue.get(2));
    }

    @Test
    void settingsSwappedWhileThreadsEvaluateLoseNothing() throws InterruptedException {
        int settings = 40;
        int perSetting = 500;
        AtomicLongArray firesBySetting = new AtomicLongArray(settings + 1);
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> swapFailure = new AtomicReference<>();
        Thread swapper = new Thread(() -> {
            try {
                for (int k = 1; k <= settings; k++) {
                    registry.set("hammered", perSetting + "*return(" + k + ")");
                    int current = k;
                    if (k % 2 == 0) { // every other one is used up before the next arrives, the rest are cut short
                        soon().until(() -> !point.isArmed());
                    } else {
                        soon().until(() -> firesBySetting.get(current) > 0);
                    }
                }
            } catch (Throwable t) {
                swapFailure.set(t);
            } finally {
                done.set(true);
            }
        }, "swapper");
        swapper.start();
        onThreads(() -> {
            while (!done.get()) {
                if (point.evaluate() instanceof Outcome.Return r) {
                    firesBySetting.incrementAndGet((int) r.value());
                }
            }
        });
        swapper.join(10_000);
        assertNull(swapFailure.get());
        long total = 0;
        for (int k = 1; k <= settings; k++) {
            long fired = firesBySetting.get(k);
            assertTrue(fired >= 1 && fired <= perSetting, "setting " + k + " fired " + fired);
            if (k % 2 == 0) {
                assertEquals(perSetting, fired, "setting " + k);
            }
            total += fired;
        }
        assertEquals(total, registry.status("hammered").fired("return"));
    }

    @Test
    void selfOffFlipsIsArmedAndTheGuardExactlyWhenTheLastCountGoes() throws Throwable {
        for (int round = 0; round < 20; round++) {
            registry.set("hammered", "100*yield->50*return(3)");
            assertTrue(point.isArmed());
            assertTrue((boolean) check.invokeExact());
            LongAdder returns = new LongAdder();
            onThreads(() -> {
                while (point.isArmed()) {
                    if (point.evaluate() instanceof Outcome.Return) {
                        returns.increment();
                    }
                }
            });
            assertEquals(50, returns.sum());
            assertFalse(point.isArmed());
            assertFalse((boolean) check.invokeExact());
        }
        assertEquals(20 * 100, registry.status("hammered").fired("yield"));
    }

    @Test
    void aStoreRacingWithSelfOffIsNeverUndone() throws Throwable {
        // self-off only removes the setting that went stale, never one stored meanwhile
        for (int round = 0; round < 200; round++) {
            registry.set("hammered", "1*return(1)");
            Thread evaluator = new Thread(point::evaluate);
            evaluator.start();
            registry.set("hammered", "return(2)");
            evaluator.join(10_000);
            assertEquals("return(2)", registry.get("hammered"));
            assertTrue(point.isArmed());
            assertTrue((boolean) check.invokeExact());
        }
    }
}
