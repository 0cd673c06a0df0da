package dev.jfail.agent;

import dev.jfail.fixture.Mailbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CountDownLatch;
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

    private final Instrumented agent = new Instrumented();
    /** Threads of their own: the common pool may have a single thread on 2 cores, running the two sides in turn. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }
    private final Class<?> mailbox;

    LostNotifyTest() {
        int synchronizedLine = MethodShapes.of(Instrumented.classFile(MAILBOX)).methods("take", "").get(0).lines().get(1);
        agent.catalog.add(List.of(
                PointSpec.parse("take_gap@" + MAILBOX + "#take:line=" + synchronizedLine),
                PointSpec.parse("take_entry@" + MAILBOX + "#take"),
                PointSpec.parse("post_entry@" + MAILBOX + "#post")));
        mailbox = agent.load(MAILBOX);
    }

    /** Runs a taker and a poster that posts 10 ms later, {@link #RUNS} times; how many wake-ups were lost. */
    private int lostWakeUps() throws Exception {
        int lost = 0;
        for (int run = 0; run < RUNS; run++) {
            Object box = mailbox.getDeclaredConstructor().newInstance();
            CountDownLatch start = new CountDownLatch(1);
            CompletableFuture<Boolean> taker = CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                    return (Boolean) mailbox.getMethod("take", long.class).invoke(box, 300L);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            CompletableFuture<Void> poster = CompletableFuture.runAsync(() -> {
                try {
                    start.await();
                    Thread.sleep(10);
                    mailbox.getMethod("post").invoke(box);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads);
            start.countDown();
            poster.get(10, TimeUnit.SECONDS);
            if (taker.get(10, TimeUnit.SECONDS)) {
                lost++;
            }
        }
        return lost;
    }

    @Test
    void aSleepBetweenTheCheckAndTheSynchronizedBlockLosesTheWakeUpInNearlyEveryRun() throws Exception {
        agent.registry.set("take_gap", "sleep(50)");
        int lost = lostWakeUps();
        assertTrue(lost >= RUNS - 2, lost + " of " + RUNS + " wake-ups lost");
        assertEquals(RUNS, agent.registry.status("take_gap").fired("sleep"));
    }

    @Test
    void theSameSleepAtTheEntryOfEitherMethodNeverOpensTheWindow() throws Exception {
        agent.registry.set("take_entry", "sleep(50)"); // the taker checks after the post: nothing to wait for
        int lostTaking = lostWakeUps();
        agent.registry.reset();
        agent.registry.set("post_entry", "sleep(50)"); // the post comes later still: the taker is waiting
        int lostPosting = lostWakeUps();
        assertTrue(lostTaking <= 2 && lostPosting <= 2,
                "lost with a sleep at take's entry: " + lostTaking + ", at post's entry: " + lostPosting);
        assertEquals(RUNS, agent.registry.status("post_entry").fired("sleep"));
    }

    @Test
    void withoutAnyPointTheWakeUpIsRarelyLost() throws Exception {
        int lost = lostWakeUps();
        assertTrue(lost <= 2, lost + " of " + RUNS + " wake-ups lost");
    }
}
