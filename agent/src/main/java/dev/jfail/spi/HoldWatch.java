package dev.jfail.spi;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.FailPointState;
import dev.jfail.core.Messages;
import dev.jfail.core.Patience;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a test from hanging on a hold. While the test runs, a daemon thread looks at the threads
 * held at points every {@value #POLL_MILLIS} ms, and releases every hold when
 * <ul>
 * <li>the test's own thread is blocked on a monitor or lock that a held thread owns (directly or
 *     through a chain of owners, as {@link ThreadMXBean} reports them), for {@value #STEADY_MILLIS} ms:
 *     the test thread is the one that would release the hold, so nothing ever would. That is what a
 *     hold test does once the race is fixed by locking: the held thread keeps the lock and the
 *     test's own second call waits for it;</li>
 * <li>or threads are still held when the test has run longer than its patience ({@link Patience#test()}).</li>
 * </ul>
 * It remembers who waited for whom, with the stacks, and the extension fails the test with that
 * ({@link #stop()}). Other threads blocked on a held thread are the point of many hold tests (start
 * the second call, assert that it blocks, release), so they alone never count.
 */
public final class HoldWatch {

    static final long POLL_MILLIS = 25;
    static final long STEADY_MILLIS = 200;

    private static final class Daemon {
        static final ScheduledExecutorService EXECUTOR = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jfail-hold-watch");
            t.setDaemon(true);
            return t;
        });
    }

    private final FailPointRegistry registry;
    private final Thread test;
    private final Duration patience;
    private final long started = System.nanoTime();
    private ScheduledFuture<?> polling;
    /** The blocked-on-a-held-thread finding seen at the last look, and since when. */
    private Blocked blockedSince;
    private long blockedAt;
    private volatile String verdict;

    private HoldWatch(FailPointRegistry registry, Thread test, Duration patience) {
        this.registry = registry;
        this.test = test;
        this.patience = patience;
    }

    /**
     * Starts watching the test that runs on {@code test}.
     *
     * @param test     the thread the test method runs on, the one that would release its holds
     * @param patience how long the test may keep threads held ({@link Waits#testPatience()})
     * @return the watch, to {@link #stop()} when the test method returns or throws
     */
    public static HoldWatch start(Thread test, Duration patience) {
        HoldWatch watch = new HoldWatch(FailPointRegistry.global(), test, patience);
        watch.polling = Daemon.EXECUTOR.scheduleWithFixedDelay(watch::look, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        return watch;
    }

    /**
     * Stops watching; the failure to end the test with when the watch had to release its holds, else null.
     *
     * @return null, or the failure saying who waited for whom, with the stacks
     */
    public AssertionError stop() {
        polling.cancel(false);
        String found = verdict;
        return found == null ? null : new HoldHang(found);
    }

    private void look() {
        if (verdict != null) {
            return;
        }
        try {
            Map<Thread, String> held = registry.pausedThreads();
            if (held.isEmpty()) {
                blockedSince = null;
                return;
            }
            Blocked found = blockedOnHeld(held);
            long now = System.nanoTime();
            if (found == null || !found.equals(blockedSince)) {
                blockedSince = found;
                blockedAt = now;
            } else if (now - blockedAt >= TimeUnit.MILLISECONDS.toNanos(STEADY_MILLIS)) {
                release(held, found.line() + stack(test) + stack(found.holder()));
                return;
            }
            if (now - started > patience.toNanos()) {
                release(held, "jfail: the test ran past its patience of " + patience.toSeconds() + " s (-D" + Patience.TEST_PROPERTY
                        + "=SECONDS) with " + who(held) + " still held; its thread \"" + test.getName() + "\" was " + state(test)
                        + stack(test) + stacks(held));
            }
        } catch (RuntimeException | Error e) {
            verdict = "jfail: the hold watch failed: " + Messages.oneLine(e); // never let the daemon die silently
        }
    }

    /** The test thread waits, through lock owners, for {@code holder}, a held thread: {@code line} says how. */
    private record Blocked(String line, Thread holder) {
    }

    /** Null, or how the test thread waits, through lock owners, for a held thread. */
    private Blocked blockedOnHeld(Map<Thread, String> held) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<String> chain = new ArrayList<>();
        long id = FailPointState.threadId(test);
        for (int step = 0; step < 16; step++) {
            ThreadInfo info = threads.getThreadInfo(id, 0);
            if (info == null || info.getLockOwnerId() < 0) {
                return null;
            }
            chain.add("\"" + info.getThreadName() + "\" is " + (info.getThreadState() == Thread.State.BLOCKED ? "blocked" : "waiting")
                    + " on " + info.getLockName() + " owned by \"" + info.getLockOwnerName() + "\"");
            for (Map.Entry<Thread, String> h : held.entrySet()) {
                if (FailPointState.threadId(h.getKey()) == info.getLockOwnerId()) {
                    return new Blocked("jfail: the test's thread waits for a thread jfail holds, and only the test could release it: "
                            + String.join(", ", chain) + ", which jfail holds at " + h.getValue()
                            + "; released the holds (once a fix makes the calls wait for each other, run the second in a thread"
                            + " of its own, assert that it blocks, then release)", h.getKey());
                }
            }
            id = info.getLockOwnerId();
        }
        return null;
    }

    private void release(Map<Thread, String> held, String why) {
        verdict = why;
        held.values().stream().distinct().forEach(point -> registry.set(point, "off"));
    }

    private static String who(Map<Thread, String> held) {
        List<String> names = new ArrayList<>();
        held.forEach((t, point) -> names.add("\"" + t.getName() + "\" at " + point));
        return String.join(", ", names);
    }

    private static String state(Thread t) {
        return t.getState().toString();
    }

    private static String stacks(Map<Thread, String> held) {
        StringBuilder all = new StringBuilder();
        held.keySet().forEach(t -> all.append(stack(t)));
        return all.toString();
    }

    /**
     * {@code t}'s stack as a thread dump shows it, on the lines after the message's first, down to
     * where the test framework called the test by reflection (the rest is the framework's).
     */
    private static String stack(Thread t) {
        StringBuilder text = new StringBuilder("\n\"").append(t.getName()).append("\" ").append(t.getState());
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().startsWith("jdk.internal.reflect.")) {
                text.append("\n\t...");
                break;
            }
            text.append("\n\tat ").append(frame);
        }
        return text.toString();
    }

    /** The failure a watched test ends with: its message says it all, the stack would show only the extension. */
    static final class HoldHang extends AssertionError {
        private static final long serialVersionUID = 1L;

        HoldHang(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
