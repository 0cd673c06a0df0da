package dev.jfail.tooling;

import dev.jfail.fixture.Mailbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lost wake-up of {@link Mailbox}: a point at the line of its {@code synchronized} statement
 * makes it happen in nearly every run; the same sleep at the entry of either method never does.
 */
@Timeout(120)
class LostNotifyTest {

    private static final String MAILBOX = Mailbox.class.getName();
    private static final int RUNS = 20;

    private final TestAgent agent = new TestAgent();
    /** Threads of their own: the common pool may have a single thread on 2 cores, running the two sides in turn. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }
    private final Class<?> mailbox;

    LostNotifyTest() {
        int synchronizedLine = MethodShapes.of(TestAgent.classFile(MAILBOX)).methods("take", "").get(0).lines().get(1);
        agent.catalog.add(List.of(
                PointDeclaration.parse("take_gap@" + MAILBOX + "#take:line=" + synchronizedLine),
                PointDeclaration.parse("take_entry@" + MAILBOX + "#take"),
                PointDeclaration.parse("post_entry@" + MAILBOX + "#post")));
        mailbox = agent.load(MAILBOX);
    }

    /** What came of {@code runs} runs: wake-ups lost, and those lost in the runs where {@code point} fired. */
    private record Outcome(int runs, int lost, int reached, int lostWhenReached) {
    }

    /** Runs a taker and a poster that posts 30 ms later, {@link #RUNS} times; how many wake-ups were lost. */
    private int lostWakeUps() throws Exception {
        return lostWakeUps(RUNS, null, RUNS).lost();
    }

    /**
     * Runs a taker and a poster that posts 30 ms later until {@code point} has fired in
     * {@code reached} runs (or {@code maxRuns} runs are done): a taker that a busy machine starts
     * after the post finds the letter and never reaches the point, and that run says nothing.
     */
    private Outcome lostWakeUps(int reached, String point, int maxRuns) throws Exception {
        int lost = 0;
        int fired = 0;
        int lostWhenFired = 0;
        int run = 0;
        for (; run < maxRuns && (point == null || fired < reached); run++) {
            long before = point == null ? 0 : agent.registry.status(point).fired("sleep");
            Object box = mailbox.getDeclaredConstructor().newInstance();
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Boolean> taker = CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    return (Boolean) mailbox.getMethod("take", long.class).invoke(box, 400L);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            CompletableFuture<Void> poster = CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                    Thread.sleep(30); // long enough that a busy machine seldom starts the taker later still
                    mailbox.getMethod("post").invoke(box);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            start.countDown();
            poster.get(10, TimeUnit.SECONDS);
            boolean lostThisRun = taker.get(10, TimeUnit.SECONDS);
            boolean firedThisRun = point != null && agent.registry.status(point).fired("sleep") > before;
            lost += lostThisRun ? 1 : 0;
            fired += firedThisRun ? 1 : 0;
            lostWhenFired += lostThisRun && firedThisRun ? 1 : 0;
        }
        return new Outcome(run, lost, fired, lostWhenFired);
    }

    @Test
    void aSleepBetweenTheCheckAndTheSynchronizedBlockLosesTheWakeUpInNearlyEveryRun() throws Exception {
        agent.registry.set("take_gap", "sleep(150)");
        // counted over the runs where the taker reached the gap before the post (the point fired):
        // on a loaded machine a taker can start after the post and find the letter (19 of 20 fired once)
        Outcome o = lostWakeUps(RUNS, "take_gap", 5 * RUNS);
        assertEquals(RUNS, o.reached(), "the taker reached the gap in " + o.reached() + " of " + o.runs() + " runs");
        assertTrue(o.lostWhenReached() >= o.reached() - 4, o.lostWhenReached() + " of " + o.reached()
                + " wake-ups lost in the runs that reached the gap");
    }

    @Test
    void theSameSleepAtTheEntryOfEitherMethodNeverOpensTheWindow() throws Exception {
        agent.registry.set("take_entry", "sleep(150)"); // the taker checks after the post: nothing to wait for
        int lostTaking = lostWakeUps();
        agent.registry.reset();
        agent.registry.set("post_entry", "sleep(150)"); // the post comes later still: the taker is waiting
        int lostPosting = lostWakeUps();
        assertTrue(lostTaking <= 3 && lostPosting <= 3,
                "lost with a sleep at take's entry: " + lostTaking + ", at post's entry: " + lostPosting);
        assertEquals(RUNS, agent.registry.status("post_entry").fired("sleep"));
    }

    @Test
    void withoutAnyPointTheWakeUpIsRarelyLost() throws Exception {
        int lost = lostWakeUps();
        assertTrue(lost <= 3, lost + " of " + RUNS + " wake-ups lost");
    }
}
