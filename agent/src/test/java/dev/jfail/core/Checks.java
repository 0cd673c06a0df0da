package dev.jfail.core;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;

/** A check of a point as instrumented code has one: its call site answers true while the point is armed. */
final class Checks {

    private Checks() {
    }

    /** A {@code ()boolean} handle to a new check of {@code point}: false while it is off, true while armed. */
    static MethodHandle armedCheck(FailPointState point) {
        return point.check(MethodHandles.constant(boolean.class, false), MethodHandles.constant(boolean.class, true))
                .dynamicInvoker();
    }
}
