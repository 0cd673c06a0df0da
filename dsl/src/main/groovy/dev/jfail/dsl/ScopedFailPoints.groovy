package dev.jfail.dsl

import dev.jfail.FailPoints
import groovy.transform.CompileStatic

/**
 * {@code failpoints(unlock_and_deallocate_relock: '50%sleep(10)') { ... }}: sets the points for
 * the block, all or nothing, and puts back what they were before when the block ends, however it
 * ends. Putting back {@code off} releases threads still paused in a point.
 */
@CompileStatic
final class ScopedFailPoints {

    private ScopedFailPoints() {
    }

    static <T> T failpoints(Map<String, ?> settings, Closure<T> block) {
        withSettings(FailPoints.listOf(settings), block)
    }

    /** The same with the {@code name=setting;name=setting} form of {@code FAILPOINTS}. */
    static <T> T failpoints(String settings, Closure<T> block) {
        withSettings(settings, block)
    }

    private static <T> T withSettings(String settings, Closure<T> block) {
        if (block == null) {
            throw new IllegalArgumentException('failpoints(...) needs a block to scope the settings to')
        }
        // read what is there before touching anything: a bad setting must change nothing
        Map<String, String> before = FailPoints.list()
        FailPoints.setAll(settings)
        Set<String> names = FailPoints.parseList(settings).keySet()
        try {
            return block.call()
        } finally {
            FailPoints.setAll(FailPoints.listOf(names.collectEntries { String name -> [(name): before.getOrDefault(name, 'off')] }))
        }
    }
}
