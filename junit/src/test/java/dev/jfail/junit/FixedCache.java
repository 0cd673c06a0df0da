package dev.jfail.junit;

import dev.jfail.FailPoint;

/** A cache whose check-then-act race is fixed by locking: a second caller waits for the first. */
final class FixedCache {

    private Integer cached;

    synchronized int price() {
        if (cached == null) {
            missed();
            cached = 42;
        }
        return cached;
    }

    @FailPoint("junit_cache_missed")
    void missed() {
    }
}
