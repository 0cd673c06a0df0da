package dev.jfail.core;

import dev.jfail.FailPointStatus;

import java.util.Map;

/** CONTRACT (implemented by the foundation): every failpoint of the JVM, by name. */
public final class FailPointRegistry {

    /** The registry of this JVM (one per class loader holding jfail; the agent's is the system one). */
    public static FailPointRegistry global() {
        throw new UnsupportedOperationException("foundation");
    }

    /** The canonical state for {@code name}, created off if unknown. */
    public FailPointState point(String name) {
        throw new UnsupportedOperationException("foundation");
    }

    public void set(String name, String setting) {
        throw new UnsupportedOperationException("foundation");
    }

    public void setAll(String settings) {
        throw new UnsupportedOperationException("foundation");
    }

    public String get(String name) {
        throw new UnsupportedOperationException("foundation");
    }

    public void reset() {
        throw new UnsupportedOperationException("foundation");
    }

    public Map<String, String> list() {
        throw new UnsupportedOperationException("foundation");
    }

    public FailPointStatus status(String name) {
        throw new UnsupportedOperationException("foundation");
    }

    public long seed() {
        throw new UnsupportedOperationException("foundation");
    }

    public void seed(long seed) {
        throw new UnsupportedOperationException("foundation");
    }
}
