package dev.jfail.kernel.uvm;

import dev.jfail.FailPoints;
import dev.jfail.Hold;
import dev.jfail.kernel.kern.KThread;
import dev.jfail.kernel.kern.Kernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenBSD kernel lock at a failpoint: a thread blocked in the failpoint (asleep, as tsleep
 * would be) gives the lock up; one that does not block (spins, or nothing happens) keeps its
 * place. Whatever injects into the failpoint, the model does not ask it.
 */
@Timeout(30)
class KernelLockTest {
    private Kernel k;

    @AfterEach
    void stop() {
        if (k != null) {
            k.shutdown(Duration.ofSeconds(2));
        }
    }

    /** A runs {@code site} as a failpoint; B asks for the kernel lock once A is in it. The order of events. */
    private List<String> aInFailpointWhileBWantsTheLock(Runnable site) throws InterruptedException {
        k = new Kernel(Kernel.Config.openbsd().timeLimit(Duration.ofSeconds(10)));
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch inFailpoint = new CountDownLatch(1);
        KThread a = k.kthread_add("a", KernelLock.locked(k, () -> {
            KernelLock.failpoint(k, () -> {
                inFailpoint.countDown();
                site.run();
                events.add("a back from the failpoint");
            });
            events.add("a has the lock again");
        }));
        assertTrue(inFailpoint.await(5, TimeUnit.SECONDS));
        KThread b = k.kthread_add("b", KernelLock.locked(k, () -> events.add("b has the lock")));
        assertTrue(k.join(List.of(a, b), Duration.ofSeconds(10)), events.toString());
        return events;
    }

    @Test
    void a_thread_asleep_in_a_failpoint_gives_the_kernel_lock_up() throws InterruptedException {
        List<String> events = aInFailpointWhileBWantsTheLock(() -> sleep(300));
        assertEquals(List.of("b has the lock", "a back from the failpoint", "a has the lock again"), events);
    }

    @Test
    void a_thread_that_spins_in_a_failpoint_keeps_its_place() throws InterruptedException {
        List<String> events = aInFailpointWhileBWantsTheLock(() -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        });
        assertEquals(List.of("a back from the failpoint", "a has the lock again", "b has the lock"), events);
    }

    /**
     * On its way back from the failpoint a thread may block before it reaches the lock (on the
     * sched lock, or a tool ordering threads at sched_lock_pre_op): that is not a sleep in the
     * failpoint, and the thread keeps its place.
     */
    @Test
    void a_thread_blocked_on_its_way_back_from_a_failpoint_keeps_its_place() throws InterruptedException {
        k = new Kernel(Kernel.Config.openbsd().timeLimit(Duration.ofSeconds(10)));
        List<String> events = new CopyOnWriteArrayList<>();
        Hold[] onTheWayBack = new Hold[1];
        CountDownLatch armed = new CountDownLatch(1);
        KThread a = k.kthread_add("a", KernelLock.locked(k, () -> {
            KernelLock.failpoint(k, () -> {
                onTheWayBack[0] = FailPoints.holdAt("sched_lock_pre_op", Thread.currentThread());
                armed.countDown();
            });
            events.add("a has the lock again");
        }));
        try {
            assertTrue(armed.await(5, TimeUnit.SECONDS));
            onTheWayBack[0].awaitHeld(Duration.ofSeconds(5));
            KThread b = k.kthread_add("b", KernelLock.locked(k, () -> events.add("b has the lock")));
            await().atMost(Duration.ofSeconds(5)).until(() -> "kernel_lock".equals(b.wmesg()) || events.contains("b has the lock"));
            sleep(50); // b looks at a's place every 100 us: long enough to have passed it, were it going to
            onTheWayBack[0].release();
            assertTrue(k.join(List.of(a, b), Duration.ofSeconds(10)), events.toString());
        } finally {
            FailPoints.reset();
        }
        assertEquals(List.of("a has the lock again", "b has the lock"), events);
    }

    @Test
    void a_thread_woken_first_gets_the_lock_first_whenever_the_host_runs_it() {
        k = new Kernel(Kernel.Config.openbsd().timeLimit(Duration.ofSeconds(10)));
        boolean[] go = new boolean[2];
        List<String> events = new CopyOnWriteArrayList<>();
        KThread first = k.kthread_add("first", KernelLock.locked(k, () -> {
            KernelLock.sleep(k, null, "one", () -> go[0]);
            events.add("first");
        }));
        KThread second = k.kthread_add("second", KernelLock.locked(k, () -> {
            KernelLock.sleep(k, null, "two", () -> go[1]);
            events.add("second");
        }));
        await().atMost(Duration.ofSeconds(5)).until(() -> "one".equals(first.wmesg()) && "two".equals(second.wmesg()));
        wake(go, 0);
        wake(go, 1);
        assertTrue(k.join(List.of(first, second), Duration.ofSeconds(10)), events.toString());
        assertEquals(List.of("first", "second"), events);
    }

    /** wakeup: the sleeper's condition holds, and every sleeper looks again. */
    private void wake(boolean[] go, int i) {
        k.sched_lock();
        try {
            go[i] = true;
            k.sleepq_broadcast();
        } finally {
            k.sched_unlock();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
