package dev.jfail.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Probability rolls: the right rate, and the same decisions again for the same seed. */
@Timeout(60)
class RandomnessTest {

    private static final int RUNS = 100_000;

    /** Which of {@code runs} evaluations fired, on a fresh thread named {@code threadName}. */
    private static BitSet decisions(FailPointRegistry registry, String point, String threadName, int runs)
            throws InterruptedException {
        AtomicReference<BitSet> fired = new AtomicReference<>();
        Thread t = new Thread(() -> {
            BitSet bits = new BitSet(runs);
            FailPointState state = registry.point(point);
            for (int i = 0; i < runs; i++) {
                if (state.evaluate() instanceof Outcome.Return) {
                    bits.set(i);
                }
            }
            fired.set(bits);
        }, threadName);
        t.start();
        t.join(30_000);
        return fired.get();
    }

    @Test
    void twentyPercentFiresTwentyPercentOfTheTime() {
        for (long seed : new long[] {0, 1, -1, 20151201, Long.MIN_VALUE}) {
            FailPointRegistry registry = new FailPointRegistry(seed);
            registry.set("p", "20%return(1)");
            FailPointState p = registry.point("p");
            int fires = 0;
            for (int i = 0; i < RUNS; i++) {
                if (p.evaluate() instanceof Outcome.Return) {
                    fires++;
                }
            }
            assertEquals(0.20 * RUNS, fires, 0.01 * RUNS, "seed " + seed);
        }
    }

    @Test
    void smallAndLargeProbabilitiesToo() {
        FailPointRegistry registry = new FailPointRegistry(99);
        FailPointState p = registry.point("p");
        for (String percent : new String[] {"0.5", "50", "99.9"}) {
            registry.reset();
            // return, not yield: 150,000 Thread.yield() calls take minutes on a loaded machine
            registry.set("p", percent + "%return(1)");
            for (int i = 0; i < RUNS; i++) {
                p.evaluate();
            }
            double expected = Double.parseDouble(percent) / 100 * RUNS;
            assertEquals(expected, registry.status("p").fired("return"), 0.005 * RUNS, percent + "%");
        }
    }

    @Test
    void theSameSeedMakesTheSameDecisionsPerThread() throws InterruptedException {
        FailPointRegistry first = new FailPointRegistry(42);
        FailPointRegistry second = new FailPointRegistry(42);
        first.set("p", "50%return(1)");
        second.set("p", "50%return(1)");
        assertEquals(decisions(first, "p", "worker-1", 10_000), decisions(second, "p", "worker-1", 10_000));
        assertEquals(decisions(first, "p", "worker-2", 10_000), decisions(second, "p", "worker-2", 10_000));
    }

    @Test
    void decisionsDependOnSeedPointAndThreadName() throws InterruptedException {
        FailPointRegistry registry = new FailPointRegistry(42);
        registry.set("p", "50%return(1)");
        registry.set("q", "50%return(1)");
        BitSet base = decisions(registry, "p", "worker-1", 1000);
        registry.reset();
        registry.set("p", "50%return(1)");
        registry.set("q", "50%return(1)");
        assertEquals(base, decisions(registry, "p", "worker-1", 1000));      // reset starts the sequence over
        assertNotEquals(base, decisions(registry, "q", "worker-1", 1000));   // another point
        assertNotEquals(base, decisions(registry, "p", "worker-2", 1000));   // another thread
        registry.seed(43);
        assertNotEquals(base, decisions(registry, "p", "worker-1", 1000));   // another seed
        registry.seed(42);
        assertEquals(base, decisions(registry, "p", "worker-1", 1000));      // the seed again: the same again
    }

    @Test
    void threadsWithTheSameNameInOneRunEachStartTheSequenceFromItsBeginning() throws InterruptedException {
        FailPointRegistry registry = new FailPointRegistry(7);
        registry.set("p", "30%return(1)");
        List<BitSet> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            runs.add(decisions(registry, "p", "pool-1-thread-1", 500));
        }
        assertEquals(runs.get(0), runs.get(1));
        assertEquals(runs.get(1), runs.get(2));
    }

    @Test
    void theSeedCanBeSetAndRead() {
        FailPointRegistry registry = new FailPointRegistry(5);
        assertEquals(5, registry.seed());
        registry.seed(-123456789L);
        assertEquals(-123456789L, registry.seed());
    }

    @Test
    void theSystemPropertySetsTheSeedAtStart() {
        String before = System.getProperty(FailPointRegistry.SEED_PROPERTY);
        try {
            System.setProperty(FailPointRegistry.SEED_PROPERTY, "1234");
            assertEquals(1234, FailPointRegistry.initialSeed());
            System.setProperty(FailPointRegistry.SEED_PROPERTY, "-0x10");
            assertEquals(-16, FailPointRegistry.initialSeed());
            System.setProperty(FailPointRegistry.SEED_PROPERTY, " 77 ");
            assertEquals(77, FailPointRegistry.initialSeed());
        } finally {
            if (before == null) {
                System.clearProperty(FailPointRegistry.SEED_PROPERTY);
            } else {
                System.setProperty(FailPointRegistry.SEED_PROPERTY, before);
            }
        }
    }

    @Test
    void withoutThePropertyTheSeedIsRandom() {
        String before = System.getProperty(FailPointRegistry.SEED_PROPERTY);
        try {
            System.clearProperty(FailPointRegistry.SEED_PROPERTY);
            // two random 64-bit seeds in a row are equal with probability 2^-64
            assertNotEquals(FailPointRegistry.initialSeed(), FailPointRegistry.initialSeed());
        } finally {
            if (before != null) {
                System.setProperty(FailPointRegistry.SEED_PROPERTY, before);
            }
        }
    }
}
