package dev.jfail.explore;

import java.util.ArrayList;
import java.util.List;

/** Small workloads with one bug each, and their fixed twins, for the explorer's tests. */
final class Workloads {

    private final Points points;

    Workloads(Points points) {
        this.points = points;
    }

    /** Two threads increment a counter by read, point, write: an update can be lost. The result: the final count. */
    int lostUpdate(boolean fixed) throws InterruptedException {
        int[] counter = {0};
        Object lock = new Object();
        Runnable increment = () -> {
            points.cross("tick_enter");
            if (fixed) {
                synchronized (lock) {
                    int read = counter[0];
                    points.cross("tick_read");
                    counter[0] = read + 1;
                }
            } else {
                int read;
                synchronized (lock) {
                    read = counter[0];
                }
                points.cross("tick_read");
                synchronized (lock) {
                    counter[0] = read + 1;
                }
            }
        };
        Thread a = new Thread(increment, "incr-a");
        Thread b = new Thread(increment, "incr-b");
        a.start();
        b.start();
        a.join();
        b.join();
        synchronized (lock) {
            return counter[0];
        }
    }

    /**
     * Allocates ten buffers; when an allocation fails, the buggy error path forgets to give back the
     * ones it already has. The result: buffers leaked (0 when all is well).
     */
    int leakOnError(boolean fixed) {
        List<Integer> held = new ArrayList<>();
        int pool = 10;
        for (int i = 0; i < 10; i++) {
            points.cross("alloc_enter");
            if (points.crossBoolean("alloc_fails", false)) {
                if (fixed) {
                    pool += held.size();
                    held.clear();
                }
                return 10 - pool;
            }
            held.add(i);
            pool--;
        }
        pool += held.size();
        return 10 - pool;
    }
}
