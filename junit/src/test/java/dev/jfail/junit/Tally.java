package dev.jfail.junit;

import dev.jfail.FailPoint;

/** A counter with a check-then-act race between its read and its write, and a fixed twin; instrumented by the agent. */
final class Tally {

    private int count;
    private final boolean fixed;

    Tally(boolean fixed) {
        this.fixed = fixed;
    }

    void increment() {
        if (fixed) {
            synchronized (this) {
                int read = count;
                readDone();
                count = read + 1;
            }
            return;
        }
        int read;
        synchronized (this) {
            read = count;
        }
        readDone();
        synchronized (this) {
            count = read + 1;
        }
    }

    @FailPoint("tally_read_done")
    void readDone() {
    }

    synchronized int count() {
        return count;
    }

    /** Two threads increment once each; the count they leave. */
    static int twice(boolean fixed) throws InterruptedException {
        Tally t = new Tally(fixed);
        Thread a = new Thread(t::increment, "tally-a");
        Thread b = new Thread(t::increment, "tally-b");
        a.start();
        b.start();
        a.join();
        b.join();
        return t.count();
    }
}
