package dev.jfail.spock

import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CountDownLatch

/** What inner specs saw while they ran, for the outer spec to check. */
class Observed {
    static final Map<String, Object> values = new ConcurrentHashMap<>()
    /** When each feature of an inner spec ran, as {@code [start, end]} in System.nanoTime(). */
    static final Queue<List<Long>> intervals = new ConcurrentLinkedQueue<>()
    /** Counted down when an inner spec has started; inner specs running in parallel wait on it. */
    static volatile CountDownLatch started = new CountDownLatch(1)

    static void clear() {
        values.clear()
        intervals.clear()
        started = new CountDownLatch(1)
    }

    static void put(String key, Object value) {
        values[key] = value
    }
}
