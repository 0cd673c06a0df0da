package dev.jfail.dsl

/**
 * The {@code debug} sysctl node, so that a spec can write {@code debug.fail_point.NAME} exactly
 * as it would be typed after {@code sysctl}. Only {@code debug.fail_point} lives here.
 */
final class DebugSysctl {

    static final DebugSysctl INSTANCE = new DebugSysctl()

    private DebugSysctl() {
    }

    /** {@code debug.fail_point}: every failpoint of this JVM. */
    FailPointSysctl getFail_point() {
        FailPointSysctl.INSTANCE
    }

    def propertyMissing(String name) {
        throw new MissingPropertyException("debug.$name is not a jfail sysctl; only debug.fail_point.NAME is", name, DebugSysctl)
    }

    @Override
    String toString() {
        'debug'
    }
}
