package dev.jfail.core;

import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What one thread sees when it reaches a point, term by term. */
class EvaluationTest {

    private final FailPointRegistry registry = new FailPointRegistry(42);
    private final FailPointState point = registry.point("p");
    private final MethodHandle check = Checks.armedCheck(point);

    @Test
    void anOffPointProceedsAndIsNotArmed() throws Throwable {
        assertFalse(point.isArmed());
        assertFalse((boolean) check.invokeExact());
        assertEquals(Outcome.PROCEED, point.evaluate());
    }

    @Test
    void returnGivesItsArgument() throws Throwable {
        registry.set("p", "return(22)");
        assertTrue(point.isArmed());
        assertTrue((boolean) check.invokeExact());
        assertEquals(new Outcome.Return(22), point.evaluate());
    }

    @Test
    void panicNamesThePoint() {
        registry.set("p", "panic");
        assertEquals(new Outcome.Panic("fail point p panicking"), point.evaluate());
    }

    @Test
    void countedTermsGoStaleInOrderThenThePointTurnsItselfOff() throws Throwable {
        registry.set("p", "2*return(1)->1*return(2)");
        List<Outcome> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            seen.add(point.evaluate());
        }
        assertEquals(List.of(new Outcome.Return(1), new Outcome.Return(1), new Outcome.Return(2), Outcome.PROCEED), seen);
        assertFalse(point.isArmed());
        assertFalse((boolean) check.invokeExact());
        assertEquals("off", registry.get("p"));
    }

    @Test
    void readBackShowsTheRemainingCount() {
        registry.set("p", "5*return(5)");
        point.evaluate();
        point.evaluate();
        assertEquals("3*return(5)", registry.get("p"));
        point.evaluate();
        point.evaluate();
        point.evaluate();
        assertEquals("off", registry.get("p"));
    }
}
