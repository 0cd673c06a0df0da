package dev.jfail.explore;

import dev.jfail.core.FailPointState;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Watches the runs of one exploration for what does not show in a result: a run that does not
 * return within its time limit, and exceptions that kill other threads. At the limit every point
 * is turned off (an injected sleep or pause, or a failure injected at every crossing of a retry
 * loop, can hold up any workload, fixed or not); a run that still does not return within
 * {@value #GRACE_MILLIS} ms after that hangs for a reason of its own: a {@link Finding#HANG}, or a
 * {@link Finding#DEADLOCK} when the JVM finds threads deadlocked. The workload's thread is then
 * interrupted, so that a workload waiting in {@code join} or {@code await} returns; one stuck for
 * good in a monitor stays stuck, and so does the exploration (as a plain test would).
 */
final class Watchdog implements AutoCloseable {

    static final long GRACE_MILLIS = 1000;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "jfail-explore-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
    private final List<String> uncaught = new CopyOnWriteArrayList<>();
    /**
     * The first thread id of the current run: a thread made before it (a straggler of an earlier run
     * or test, still dying of what was injected then) is not this run's (ids only grow).
     */
    private volatile long firstIdOfRun;

    /** Collects what other threads die of, from now until {@link #close()}. */
    Watchdog() {
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            String stack = Explorer.stack(e);
            if (FailPointState.threadId(t) >= firstIdOfRun) {
                uncaught.add("in thread \"" + t.getName() + "\": " + stack);
            }
            if (Injected.message(stack) != null) {
                return; // the explorer's own injection: not worth a line on stderr in every run
            }
            if (before != null) {
                before.uncaughtException(t, e);
            } else {
                System.err.print("Exception in thread \"" + t.getName() + "\" ");
                e.printStackTrace();
            }
        });
    }

    /** One run on {@code runner}: at {@code limitMillis}, {@code allOff}; then the grace, the verdict, the interrupt. */
    Watch watch(Thread runner, long limitMillis, Runnable allOff) {
        firstIdOfRun = FailPointState.threadId(new Thread(() -> { })); // made, never started: the next id there is
        uncaught.clear();
        Watch w = new Watch();
        w.limit = timer.schedule(() -> {
            allOff.run();
            w.late = timer.schedule(() -> {
                long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
                w.hung = deadlocked != null ? Finding.DEADLOCK : Finding.HANG;
                runner.interrupt();
            }, GRACE_MILLIS, TimeUnit.MILLISECONDS);
        }, limitMillis, TimeUnit.MILLISECONDS);
        return w;
    }

    /** What threads died of during the run so far: {@code in thread "name": stack}. */
    List<String> uncaught() {
        return List.copyOf(uncaught);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        Thread.setDefaultUncaughtExceptionHandler(before);
    }

    /** One run's watch. */
    static final class Watch {
        private volatile ScheduledFuture<?> limit;
        private volatile ScheduledFuture<?> late;
        private volatile Finding hung;

        /** The run returned: stops watching; what it hung of (null: it did not). */
        Finding end() {
            ScheduledFuture<?> l = limit;
            if (l != null) {
                l.cancel(false);
            }
            ScheduledFuture<?> g = late;
            if (g != null) {
                g.cancel(false);
            }
            Thread.interrupted(); // an interrupt that came as the run returned is not the next run's
            return hung;
        }
    }
}
