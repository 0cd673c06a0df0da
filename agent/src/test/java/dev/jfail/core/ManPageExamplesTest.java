package dev.jfail.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The EXAMPLES of FreeBSD's fail(9), each doing what the man page says. */
@Timeout(30)
class ManPageExamplesTest {

    private static final int RUNS = 100_000;

    private final FailPointRegistry registry = new FailPointRegistry(2009);
    private final FailPointState foobar = registry.point("debug.fail_point.foobar");

    private long[] returns(int runs) {
        long[] byValue = new long[64];
        for (int i = 0; i < runs; i++) {
            if (foobar.evaluate() instanceof Outcome.Return r) {
                byValue[(int) r.value()]++;
            }
        }
        return byValue;
    }

    @Test
    void twoPointOnePercentReturnFive() {
        // "21/1000ths of the time, execute code with RETURN_VALUE set to 5."
        registry.set("debug.fail_point.foobar", "2.1%return(5)");
        long fives = returns(RUNS)[5];
        assertEquals(0.021 * RUNS, fives, 0.003 * RUNS);
    }

    @Test
    void twoPercentReturnFiveElseFivePercentReturnTwentyTwo() {
        // "2/100ths of the time, return 5. If that does not happen, 5% of the time return 22."
        registry.set("foobar", "2%return(5)->5%return(22)");
        long[] seen = returns(RUNS);
        assertEquals(0.02 * RUNS, seen[5], 0.004 * RUNS);
        assertEquals(0.98 * 0.05 * RUNS, seen[22], 0.006 * RUNS);
    }

    @Test
    void fiveTimesReturnFiveThenOneInAThousandReturnTwentyTwo() {
        registry.set("foobar", "5*return(5)->0.1%return(22)");
        List<Outcome> first = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            first.add(foobar.evaluate());
        }
        assertEquals(List.of(new Outcome.Return(5), new Outcome.Return(5), new Outcome.Return(5),
                new Outcome.Return(5), new Outcome.Return(5)), first);
        assertEquals("0.1%return(22)", registry.get("foobar"));
        long[] seen = returns(RUNS);
        assertEquals(0, seen[5]);
        assertEquals(0.001 * RUNS, seen[22], 0.0005 * RUNS);
    }

    @Test
    void oneInAThousandButOnlyFiveTimesInTotal() {
        registry.set("foobar", "0.1%5*return(5)");
        long[] seen = returns(RUNS);
        assertEquals(5, seen[5]);
        assertEquals("off", registry.get("foobar"));
    }

    @Test
    void onePercentSleepFifty() {
        // the man page prints "1%*sleep(50)", which kern_fail.c itself refuses; the intent is 1%sleep(50)
        registry.set("foobar", "1%sleep(50)");
        assertEquals("1%sleep(50)", registry.get("foobar"));
        registry.set("foobar", "1%sleep(0)"); // same rolls, no waiting: count what fires
        for (int i = 0; i < RUNS; i++) {
            foobar.evaluate();
        }
        assertEquals(0.01 * RUNS, registry.status("foobar").fired("sleep"), 0.002 * RUNS);
    }

    @Test
    void returnFiveOnceWhenThatPidExecutesThePoint() throws InterruptedException {
        AtomicReference<Outcome> other = new AtomicReference<>();
        Thread stranger = new Thread(() -> other.set(foobar.evaluate()));
        long me = FailPointState.threadId(Thread.currentThread());
        registry.set("foobar", "1*return(5)[pid " + me + "]");

        stranger.start();
        stranger.join(10_000);
        assertEquals(Outcome.PROCEED, other.get());
        assertEquals(new Outcome.Return(5), foobar.evaluate());
        assertEquals(Outcome.PROCEED, foobar.evaluate());
        assertTrue(!foobar.isArmed());
    }
}
