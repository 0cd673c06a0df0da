package dev.jfail.junit;

import dev.jfail.FailPoint;

/** Annotated code for the extension's tests: instrumented by the agent the tests run with. */
final class Gate {

    private Gate() {
    }

    @FailPoint("junit_gate")
    static int pass() {
        return 0;
    }

    @FailPoint("junit_second_point")
    static int other() {
        return 0;
    }
}
