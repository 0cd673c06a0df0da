package dev.jfail.dsl

import dev.jfail.FailPointStatus
import dev.jfail.FailPoints
import dev.jfail.spi.Names

/**
 * The {@code debug.fail_point} sysctl node. Reading {@code debug.fail_point.NAME} gives the
 * live setting in FreeBSD's read-back form ({@code off} when off); assigning to it sets the
 * point, all or nothing; {@code debug.fail_point.status_NAME} gives FreeBSD's status node, with
 * counters and held threads. {@code debug.fail_point['NAME']} works for computed names.
 *
 * <p>It deliberately has no properties of its own: every property name is a failpoint name.
 */
final class FailPointSysctl {

    static final FailPointSysctl INSTANCE = new FailPointSysctl()

    private static final String STATUS_PREFIX = 'status_'

    private FailPointSysctl() {
    }

    /** {@code debug.fail_point.NAME}: the read-back; {@code debug.fail_point.status_NAME}: the status. */
    def propertyMissing(String name) {
        getAt(name)
    }

    /** {@code debug.fail_point.NAME = '50%sleep(10)'}. */
    def propertyMissing(String name, value) {
        putAt(name, value)
    }

    def getAt(String name) {
        String bare = Names.canonical(name)
        if (bare.startsWith(STATUS_PREFIX) && bare.length() > STATUS_PREFIX.length()) {
            return status(bare.substring(STATUS_PREFIX.length()))
        }
        FailPoints.get(bare)
    }

    void putAt(String name, value) {
        if (value == null) {
            throw new IllegalArgumentException("debug.fail_point.$name: a setting is needed; 'off' turns a point off")
        }
        FailPoints.set(name, String.valueOf(value).trim())
    }

    private static FailPointStatus status(String name) {
        FailPoints.status(name)
    }

    @Override
    String toString() {
        'debug.fail_point'
    }
}
