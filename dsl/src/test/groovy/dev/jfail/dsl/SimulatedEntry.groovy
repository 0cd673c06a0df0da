package dev.jfail.dsl

import dev.jfail.core.FailPointRegistry
import dev.jfail.core.FailPointState
import dev.jfail.core.Outcome

/**
 * What the agent's instrumentation does on entry to a {@code @FailPoint} method, for the dsl's
 * tests, which run without the agent: evaluate the point only while it is armed.
 */
class SimulatedEntry {
    static Outcome reach(String point) {
        FailPointState state = FailPointRegistry.global().point(point)
        state.isArmed() ? state.evaluate() : Outcome.PROCEED
    }
}
