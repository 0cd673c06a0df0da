package dev.jfail.kernel.kern;

import dev.jfail.FailPoints;
import dev.jfail.Hold;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(20)
class KernelTest {

    private static Kernel boot() {
        return new Kernel(Kernel.Config.freebsd().timeLimit(Duration.ofSeconds(5)));
    }

    @Test
    void a_failed_kassert_panics_with_the_message_and_a_backtrace_of_kernel_functions() {
        Kernel k = boot();
        KernelPanic p = assertThrows(KernelPanic.class, () -> vm_check_page(k));
        assertEquals("freeing mapped page 0xdead", p.getMessage());
        Kernel.Fatal f = k.fatal();
        assertEquals(Kernel.FatalKind.PANIC, f.kind());
        assertTrue(f.report().startsWith("panic: freeing mapped page 0xdead\n"), f.report());
        // no report's trace given: the backtrace is the model's, on its own lines
        assertTrue(f.report().contains("model:   vm_check_page (KernelTest.java:"), f.report());
        assertTrue(f.report().contains("model:   kassert_panic ("), f.report());
        assertFalse(f.report().contains("() at "), f.report());
        assertFalse(f.report().contains("lambda$"), f.report());
        assertTrue(k.stopped());
    }

    private static void vm_check_page(Kernel k) {
        k.KASSERT(false, "freeing mapped page %s", "0xdead");
    }

    @Test
    void without_invariants_a_kassert_is_not_checked() {
        Kernel k = new Kernel(Kernel.Config.freebsd().invariants(false));
        k.KASSERT(false, "never");
        assertNull(k.fatal());
    }

    @Test
    void only_the_first_panic_is_recorded() {
        Kernel k = boot();
        assertThrows(KernelPanic.class, () -> k.panic("first"));
        assertThrows(KernelPanic.class, () -> k.panic("second"));
        assertEquals("first", k.fatal().message());
    }

    @Test
    void a_panic_in_one_thread_stops_every_sleeping_thread() {
        Kernel k = boot();
        Object chan = new Object();
        KThread sleeper = k.kthread_add("syncer", () -> k.tsleep(chan, "syncer", 0));
        KThread panicker = k.kthread_add("worker", () -> {
            k.pause("wait", 20);
            k.panic("boom");
        });
        assertTrue(k.join(List.of(sleeper, panicker), Duration.ofSeconds(5)) || k.stopped());
        assertTrue(k.shutdown(Duration.ofSeconds(2)).isEmpty());
        assertEquals("boom", k.fatal().message());
        assertTrue(k.fatal().report().contains("model: the model's backtrace of thread 1"), k.fatal().report());
        assertTrue(sleeper.exited());
    }

    @Test
    void a_panic_thrown_by_a_failpoint_is_recorded_by_the_thread() {
        Kernel k = boot();
        KThread td = k.kthread_add("g_up", () -> {
            throw new KernelPanic("fail point super_written_delay panicking");
        });
        k.join(List.of(td), Duration.ofSeconds(5));
        assertEquals("fail point super_written_delay panicking", k.fatal().message());
        assertTrue(k.fatal().report().startsWith("panic: fail point super_written_delay panicking"));
    }

    @Test
    void a_null_dereference_on_linux_is_an_oops_naming_the_function_in_the_models_words() {
        Kernel k = new Kernel(Kernel.Config.linux());
        KThread td = k.kthread_add("ksoftirqd/0", () -> super_written(null));
        k.join(List.of(td), Duration.ofSeconds(5));
        Kernel.Fatal f = k.fatal();
        assertEquals(Kernel.FatalKind.OOPS, f.kind());
        assertTrue(f.report().startsWith("model: NULL pointer dereference in super_written, thread "), f.report());
        assertFalse(f.report().contains("BUG:") || f.report().contains("Oops") || f.report().contains("RIP:"), f.report());
    }

    private static int super_written(int[] rdev) {
        return rdev[0];
    }

    @Test
    void msleep_is_woken_by_wakeup_and_times_out_without_one() {
        Kernel k = boot();
        Object chan = new Object();
        AtomicInteger result = new AtomicInteger(-1);
        KThread td = k.kthread_add("waiter", () -> result.set(k.tsleep(chan, "wchan", 0)));
        awaitSleeping(k, td);
        k.wakeup(chan);
        assertTrue(k.join(List.of(td), Duration.ofSeconds(5)));
        assertEquals(0, result.get());
        assertEquals(Errno.EWOULDBLOCK, k.tsleep(new Object(), "timo", 5));
        k.shutdown(Duration.ofSeconds(1));
    }

    @Test
    void a_sleep_with_no_wakeup_ends_after_the_time_limit() {
        Kernel k = new Kernel(Kernel.Config.freebsd().timeLimit(Duration.ofMillis(100)));
        assertThrows(KernelStopped.class, () -> k.tsleep(new Object(), "forever", 0));
    }

    @Test
    void a_sleep_that_outlives_the_time_limit_is_the_runs_timeout_not_the_panic_of_what_it_unwinds_through() {
        // a kernel thread whose sleep outlives the limit before the harness calls time (a slow
        // set-up): what its unwinding runs (an unlock of a lock it gave up) must not be the run's panic
        Kernel k = new Kernel(Kernel.Config.freebsd().timeLimit(Duration.ofMillis(100)));
        SleepLock lock = SleepLock.rw(k, "vm object");
        KThread td = k.kthread_add("pagedaemon", () -> {
            lock.xlock();
            lock.unlock();                                   // dropped for the I/O ...
            try {
                k.tsleep(new Object(), "biowait", 0);        // ... which never ends
            } finally {
                lock.unlock();                               // the caller's unlock, as if it had it back
            }
        });
        await("the sleeper giving up on its own").atMost(Duration.ofSeconds(15)).until(td::exited);
        assertEquals(Kernel.FatalKind.TIMEOUT, k.fatal().kind(), k.fatal().report());
    }

    @Test
    void a_timeout_reports_the_stuck_threads_with_their_wait_channel() {
        Kernel k = boot();
        KThread td = k.kthread_add("nfsiod", () -> k.tsleep(new Object(), "nfsreq", 0));
        awaitSleeping(k, td); // a thread started late on a loaded machine would still be "running"
        assertFalse(k.join(List.of(td), Duration.ofMillis(50)));
        k.timeout(Duration.ofMillis(50));
        assertEquals(Kernel.FatalKind.TIMEOUT, k.fatal().kind());
        assertTrue(k.fatal().report().contains("model: thread 100000 (nfsiod): sleeping on \"nfsreq\""), k.fatal().report());
        assertTrue(k.shutdown(Duration.ofSeconds(2)).isEmpty());
    }

    @Test
    void a_function_kernel_hands_to_its_file_is_one_frame_of_the_backtrace() {
        Kernel k = boot();
        KThread td = k.kthread_add("syncer", () -> k.pause("syncer", 5_000));
        awaitSleeping(k, td);
        List<String> functions = Backtrace.of(td.javaThread().getStackTrace()).stream()
                .map(Backtrace.Frame::function).toList();
        // Kernel.pause hands the call to SleepQueues.pause: one pause frame, the file's; sleepq_wait's two are its own
        assertEquals(List.of("sleepq_wait", "sleepq_wait", "pause", "fork_exit"), functions);
        assertTrue(Backtrace.of(td.javaThread().getStackTrace()).get(2).location().contains("SleepQueues.java"));
        assertTrue(k.shutdown(Duration.ofSeconds(2)).isEmpty());
    }

    static void awaitSleeping(Kernel k, KThread td) {
        long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < until) {
            k.sched_lock();
            try {
                if (td.wmesg != null) {
                    return;
                }
            } finally {
                k.sched_unlock();
            }
            Thread.onSpinWait();
        }
        throw new AssertionError(td + " never slept");
    }

    @Test
    void tunables_are_read_and_a_bad_one_is_a_clear_error() {
        Kernel k = new Kernel(Kernel.Config.freebsd().tunables(java.util.Map.of("f_iosize", "0x1000", "bad", "x")));
        assertEquals(4096, k.tunable("f_iosize", 65536));
        assertEquals(7, k.tunable("absent", 7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.tunable("bad", 1));
        assertNotNull(e.getMessage());
    }

    /** So a tool that orders the takers of sched_lock orders when a woken thread goes on (a replay does). */
    @Test
    void a_thread_woken_from_a_sleep_goes_on_only_through_sched_lock_pre_op() throws Exception {
        Kernel k = boot();
        Object chan = new Object();
        AtomicBoolean back = new AtomicBoolean();
        KThread sleeper = k.kthread_add("sleeper", () -> {
            k.tsleep(chan, "chan", 0);
            back.set(true);
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> "chan".equals(sleeper.wmesg()));
        try (Hold woken = FailPoints.holdAt("sched_lock_pre_op", sleeper.thread)) {
            k.wakeup(chan);
            woken.awaitHeld(Duration.ofSeconds(5));
            assertFalse(back.get(), "woken, it waits at the point before it takes the lock again");
        }
        assertTrue(k.join(List.of(sleeper), Duration.ofSeconds(5)), "released, it goes on");
        assertTrue(back.get());
        k.shutdown(Duration.ofSeconds(2));
    }
}
