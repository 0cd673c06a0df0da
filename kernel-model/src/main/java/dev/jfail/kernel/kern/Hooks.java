package dev.jfail.kernel.kern;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Test seams at the failpoint sites. Every failpoint method of the model asks its kernel's hooks
 * too, so a unit test can force an interleaving deterministically without the agent (a hook can
 * block on a latch, or return {@code true} to force the failure path). Empty in real runs.
 */
public final class Hooks {
    private final Map<String, BooleanSupplier> hooks = new ConcurrentHashMap<>();

    /** Installs {@code hook} at failpoint site {@code name}; its result means "fail" where the site can fail. */
    public Hooks on(String name, BooleanSupplier hook) {
        hooks.put(name, hook);
        return this;
    }

    /** Installs a hook that runs {@code action} and does not force a failure. */
    public Hooks on(String name, Runnable action) {
        return on(name, () -> {
            action.run();
            return false;
        });
    }

    public void off(String name) {
        hooks.remove(name);
    }

    /** Whether a hook is installed at {@code name}. */
    public boolean has(String name) {
        return !hooks.isEmpty() && hooks.containsKey(name);
    }

    /** Runs the hook at {@code name}, if any; whether it asks the site to fail. */
    public boolean fire(String name) {
        if (hooks.isEmpty()) {
            return false;
        }
        BooleanSupplier hook = hooks.get(name);
        return hook != null && hook.getAsBoolean();
    }
}
