package dev.jfail.explore;

import dev.jfail.FailPointPanic;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.FailPointState;
import dev.jfail.core.Outcome;
import dev.jfail.core.Site;

/**
 * Failpoints written out by hand, as the agent's instrumentation writes them into an annotated
 * method's entry: evaluate when armed, return the injected value when asked. Lets the explorer's
 * tests run small workloads against a registry of their own, with no agent.
 */
final class Points {

    final FailPointRegistry registry = new FailPointRegistry(1L);

    /** A point on a {@code void} method; {@code panic} throws, as the agent's check does. */
    void cross(String name) {
        FailPointState p = declared(name, "void");
        if (p.isArmed() && p.evaluate() instanceof Outcome.Panic panic) {
            throw new FailPointPanic(panic.message());
        }
    }

    /** A point on a {@code void} method of {@code owner}: what the explorer takes for its shared state. */
    void cross(String owner, String name) {
        FailPointState p = registry.point(name);
        p.declare(new Site(owner + "." + name + "()", "void"));
        if (p.isArmed() && p.evaluate() instanceof Outcome.Panic panic) {
            throw new FailPointPanic(panic.message());
        }
    }

    /** A point on a {@code boolean} method that normally returns {@code normally}. */
    boolean crossBoolean(String name, boolean normally) {
        FailPointState p = declared(name, "boolean");
        if (p.isArmed()) {
            Outcome o = p.evaluate();
            if (o instanceof Outcome.Return r) {
                return r.value() != 0;
            }
            if (o instanceof Outcome.Panic panic) {
                throw new FailPointPanic(panic.message());
            }
        }
        return normally;
    }

    private FailPointState declared(String name, String returnType) {
        FailPointState p = registry.point(name);
        p.declare(new Site("fixture." + name + "()", returnType));
        return p;
    }
}
