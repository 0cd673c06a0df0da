package com.example.libraries;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/** Starting a workload's threads, and waiting for them to end or to deadlock (the JVM's own detector). */
final class Threads {

    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    private Threads() {
    }

    /** Daemon threads, started: a deadlocked one never keeps the test JVM from exiting. */
    static Thread[] start(Runnable... bodies) {
        Thread[] threads = new Thread[bodies.length];
        for (int i = 0; i < bodies.length; i++) {
            threads[i] = new Thread(bodies[i], "workload-" + i);
            threads[i].setDaemon(true);
        }
        for (Thread t : threads) {
            t.start();
        }
        return threads;
    }

    /**
     * Waits until every thread has ended; fails as soon as the JVM finds two of them in a monitor
     * deadlock (threads deadlocked in earlier runs are not theirs, so they are left out); an interrupt
     * ends the wait with an {@link InterruptedException}.
     */
    static void joinOrFailOnDeadlock(Thread... threads) throws InterruptedException {
        while (Arrays.stream(threads).anyMatch(Thread::isAlive)) {
            long[] deadlocked = MX.findDeadlockedThreads();
            if (deadlocked != null) {
                for (Thread t : threads) {
                    if (Arrays.stream(deadlocked).anyMatch(id -> id == t.getId())) {
                        throw new AssertionError("deadlock: " + describe(threads));
                    }
                }
            }
            // not threads[0].join(1): once that thread has ended, join returns at once without looking
            // at the interrupt, and the loop spun for good when the other thread never ended (an
            // exploration's watchdog interrupts a run it finds hung, and this must end then)
            Thread.sleep(1);
        }
    }

    private static String describe(Thread... threads) {
        StringBuilder sb = new StringBuilder();
        for (Thread t : threads) {
            ThreadInfo info = MX.getThreadInfo(t.getId());
            if (info != null && info.getLockName() != null) {
                sb.append(t.getName()).append(" waits for ").append(info.getLockName())
                        .append(" held by ").append(info.getLockOwnerName()).append("; ");
            }
        }
        return sb.toString();
    }
}
