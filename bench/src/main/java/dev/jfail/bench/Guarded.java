package dev.jfail.bench;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small class full of the places {@code auto@} puts points at: a synchronized block and method, a
 * lock, atomics, checks of shared fields, and short methods (entry and exit). {@link AutoPointBench}
 * measures it with its automatic points off against its uninstrumented twin.
 */
public class Guarded implements Step {

    private final Object monitor = new Object();
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger refs = new AtomicInteger();
    private int count;
    private int limit = 1 << 30;
    private boolean open = true;

    @Override
    public int step(int value) {
        if (!open) {
            return -1;
        }
        int added = add(value);
        lock.lock();
        try {
            if (count > limit) {
                count = 0;
            }
            count += added & 7;
        } finally {
            lock.unlock();
        }
        if (refs.incrementAndGet() > limit) {
            refs.compareAndSet(limit + 1, 0);
        }
        return count + bump();
    }

    private int add(int value) {
        synchronized (monitor) {
            return value * 31 + count;
        }
    }

    private synchronized int bump() {
        return count > limit ? 0 : 1;
    }
}
