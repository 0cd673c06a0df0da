package dev.jfail.kernel.kern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** lockmgr's writer preference: a waiting writer keeps new readers out, except readers already holding shared locks. */
@Timeout(20)
class SleepLockWritersTest {

    private final Kernel k = new Kernel(Kernel.Config.freebsd().timeLimit(Duration.ofSeconds(10)));
    private final SleepLock lock = SleepLock.lockmgr(k, "nfs");

    @Test
    void a_waiting_writer_gets_the_lock_before_a_reader_that_came_after_it() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        lock.slock();
        KThread writer = k.kthread_add("umount", () -> {
            lock.xlock();
            order.add("writer");
            lock.unlock();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> "nfs".equals(writer.wmesg()));
        KThread reader = k.kthread_add("init", () -> {
            lock.slock();
            order.add("reader");
            lock.unlock();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> "nfs".equals(reader.wmesg()));
        assertEquals(List.of(), order, "neither gets in while the first reader holds the lock");

        lock.unlock();
        assertTrue(k.join(List.of(writer, reader), Duration.ofSeconds(5)));
        assertEquals(List.of("writer", "reader"), order);
        assertNull(k.fatal());
    }

    @Test
    void a_waiting_writer_does_not_keep_out_a_reader_already_holding_shared_locks() {
        lock.slock();
        KThread writer = k.kthread_add("umount", () -> {
            lock.xlock();
            lock.unlock();
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> "nfs".equals(writer.wmesg()));
        SleepLock other = SleepLock.lockmgr(k, "ufs");
        other.xlock();
        KThread outsider = k.kthread_add("sh", () -> assertFalse(lock.try_slock()));
        assertTrue(k.join(List.of(outsider), Duration.ofSeconds(5)));

        assertTrue(lock.try_slock(), "a recursive shared hold would deadlock against the writer");
        lock.unlock();
        lock.unlock();
        other.unlock();
        assertTrue(k.join(List.of(writer), Duration.ofSeconds(5)));
        assertNull(k.fatal());
    }
}
