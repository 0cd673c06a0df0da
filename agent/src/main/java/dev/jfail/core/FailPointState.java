package dev.jfail.core;

import java.lang.invoke.MethodHandle;

/**
 * CONTRACT (implemented by the foundation): one named failpoint. Canonical per name in its
 * registry: never replaced or removed, so instrumented code may hold on to it forever.
 */
public final class FailPointState {

    /** The name. */
    public String name() {
        throw new UnsupportedOperationException("foundation");
    }

    /**
     * Fast path: whether a setting other than off is stored. One volatile read; instrumented code
     * calls {@link #evaluate()} only when this is true.
     */
    public boolean isArmed() {
        throw new UnsupportedOperationException("foundation");
    }

    /**
     * A {@code ()boolean} handle to a {@link java.lang.invoke.MutableCallSite} whose target is a
     * constant {@code false} while the point is off and a constant {@code true} while it is armed;
     * kept in step with {@link #isArmed()} (setTarget + syncAll on every transition). Bound as a
     * constant into instrumented code, it lets the JIT fold an off failpoint away entirely.
     */
    public MethodHandle armedGuard() {
        throw new UnsupportedOperationException("foundation");
    }

    /**
     * Slow path: walks the terms for the current thread, counts, carries out sleep/delay/yield/
     * pause/print/break itself, and returns what the carrying method must do.
     */
    public Outcome evaluate() {
        throw new UnsupportedOperationException("foundation");
    }

    /** Declares a method that carries this point; later settings are checked against its return type. */
    public void declare(Site site) {
        throw new UnsupportedOperationException("foundation");
    }
}
