package dev.jfail.kernel.kern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class WitnessTest {

    private static Kernel boot() {
        return new Kernel(Kernel.Config.freebsd().timeLimit(Duration.ofSeconds(10)));
    }

    @Test
    void locking_a_lock_you_hold_is_reported_at_once_as_a_deadlock() {
        Kernel k = boot();
        SleepLock l = SleepLock.lockmgr(k, "nfs");
        l.xlock();
        long t0 = System.nanoTime();
        assertThrows(KernelStopped.class, l::xlock);
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
        Kernel.Fatal f = k.fatal();
        assertEquals(Kernel.FatalKind.DEADLOCK, f.kind());
        assertTrue(f.report().contains("which it holds locked exclusive itself"), f.report());
    }

    @Test
    void a_cycle_of_two_threads_is_reported_with_both_stacks() throws Exception {
        Kernel k = boot();
        SleepLock a = SleepLock.rw(k, "vm object");
        SleepLock b = SleepLock.lockmgr(k, "ufs");
        CountDownLatch bothHold = new CountDownLatch(2);
        KThread t1 = k.kthread_add("pagedaemon", () -> take_both(a, b, bothHold));
        KThread t2 = k.kthread_add("syncer", () -> take_both(b, a, bothHold));
        k.join(List.of(t1, t2), Duration.ofSeconds(10));
        Kernel.Fatal f = k.fatal();
        assertEquals(Kernel.FatalKind.DEADLOCK, f.kind(), String.valueOf(f));
        assertTrue(f.report().contains("a sleep chain of 2 threads closes on itself"), f.report());
        assertTrue(f.report().startsWith("model: deadlock: "), f.report());
        assertTrue(f.report().contains("(pagedaemon):"), f.report());
        assertTrue(f.report().contains("(syncer):"), f.report());
        assertTrue(f.report().contains("model:   take_both (WitnessTest.java:"), f.report());
        assertTrue(k.shutdown(Duration.ofSeconds(2)).isEmpty());
    }

    private static void take_both(SleepLock first, SleepLock second, CountDownLatch bothHold) {
        first.xlock();
        bothHold.countDown();
        try {
            bothHold.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new KernelStopped("interrupted");
        }
        second.xlock();
    }

    @Test
    void waiting_for_a_lock_another_thread_will_release_is_no_deadlock() throws Exception {
        Kernel k = boot();
        SleepLock l = SleepLock.mtx(k, "vnode interlock");
        CountDownLatch held = new CountDownLatch(1);
        KThread holder = k.kthread_add("holder", () -> {
            l.xlock();
            held.countDown();
            k.pause("hold", 30);
            l.unlock();
        });
        held.await(5, TimeUnit.SECONDS);
        l.xlock();
        l.unlock();
        assertTrue(k.join(List.of(holder), Duration.ofSeconds(5)));
        assertNull(k.fatal());
    }

    @Test
    void waiting_for_a_lock_held_by_a_thread_that_exited_is_a_deadlock() {
        Kernel k = boot();
        SleepLock l = SleepLock.lockmgr(k, "bufwait");
        KThread leaker = k.kthread_add("leaker", l::xlock);
        k.join(List.of(leaker), Duration.ofSeconds(5));
        assertThrows(KernelStopped.class, l::xlock);
        assertTrue(k.fatal().report().contains("which has exited holding"), k.fatal().report());
    }

    @Test
    void shared_holders_may_share_and_a_writer_waits_for_them() throws Exception {
        Kernel k = boot();
        SleepLock l = SleepLock.lockmgr(k, "fuse");
        CountDownLatch reading = new CountDownLatch(1);
        KThread reader = k.kthread_add("reader", () -> {
            l.slock();
            reading.countDown();
            k.pause("read", 20);
            l.unlock();
        });
        assertTrue(reading.await(5, TimeUnit.SECONDS));
        l.slock();
        l.unlock();
        assertEquals(0, l.lockmgr(SleepLock.LK_EXCLUSIVE));
        assertEquals("EXCLUSIVE by thread " + k.curthread().label(), l.status());
        l.downgrade();
        assertEquals("SHARED (count 1)", l.status());
        l.unlock();
        k.join(List.of(reader), Duration.ofSeconds(5));
        assertNull(k.fatal());
    }
}
