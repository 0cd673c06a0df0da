package dev.jfail.trace;

import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.FailPointState;
import dev.jfail.core.Outcome;
import dev.jfail.trace.TraceEvent.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every event at an armed point lands in the recorder, numbered; an off point leaves nothing. */
@Timeout(60)
@ResourceLock("dev.jfail.trace.Recorder")
class RecorderTest {

    private final FailPointRegistry registry = new FailPointRegistry(7);
    private final FailPointState point = registry.point("rec_point");

    @AfterEach
    void reset() {
        registry.reset();
        Recorder.end();
    }

    private List<Kind> kinds(Recorder.Record r) {
        return r.events().stream().map(TraceEvent::kind).toList();
    }

    @Test
    void anOffPointRecordsNothing() {
        Recorder.begin();
        for (int i = 0; i < 100; i++) {
            point.evaluate("Site.m()");
        }
        assertTrue(Recorder.snapshot().events().isEmpty());
        assertFalse(Recorder.snapshot().touchedFailPoints());
    }

    @Test
    void aReturnIsRecordedAsACrossingAndAFireWithItsValueSiteAndStack() {
        Recorder.begin();
        registry.set("rec_point", "return(22)");
        assertEquals(new Outcome.Return(22), point.evaluate("Site.m()"));
        Recorder.Record r = Recorder.snapshot();
        assertEquals(List.of(Kind.EVALUATED, Kind.FIRED), kinds(r));
        TraceEvent evaluated = r.events().get(0);
        assertEquals("rec_point", evaluated.point());
        assertTrue(evaluated.site().startsWith("Site.m() < "), evaluated.site()); // the site and its callers
        assertEquals("0:return(22)", evaluated.action());
        assertEquals(Thread.currentThread().getName(), evaluated.thread());
        TraceEvent fired = r.events().get(1);
        assertEquals("return(22)", fired.action());
        assertTrue(fired.detail().startsWith("stack at the first fire of rec_point in this thread:\n  at dev.jfail.trace.RecorderTest."), fired.detail());
        assertEquals(List.of(1L, 2L), r.events().stream().map(TraceEvent::seq).toList());
        assertTrue(r.touchedFailPoints());
    }

    @Test
    void theRollsAndADecisionOfNoneAreRecorded() {
        Recorder.begin();
        registry.set("rec_point", "0.0001%return(1)");
        point.evaluate("Site.m()");
        TraceEvent e = Recorder.snapshot().events().get(0);
        assertEquals(FailPointTrace.NONE, e.action());
        assertTrue(e.describe().matches("0\\.0001%return\\(1\\); rolled \\d+\\.\\d{4}% for term 0"), e.describe());
    }

    @Test
    void aSleepIsABeginAndAnEndAroundTheSleepAndAPanicIsRecorded() {
        Recorder.begin();
        registry.set("rec_point", "sleep(20)");
        point.evaluate("Site.m()");
        registry.set("rec_point", "panic");
        point.evaluate("Site.m()");
        Recorder.Record r = Recorder.snapshot();
        assertEquals(List.of(Kind.EVALUATED, Kind.FIRED, Kind.SLEEP_BEGIN, Kind.SLEEP_END, Kind.EVALUATED, Kind.FIRED,
                Kind.PANIC), kinds(r));
        long slept = r.events().get(3).nanos() - r.events().get(2).nanos();
        assertTrue(slept >= 20_000_000L, "slept " + slept + " ns");
        assertEquals("sleep(20)", r.events().get(2).action());
        assertEquals("fail point rec_point panicking", r.events().get(6).detail());
    }

    @Test
    void aPauseIsRecordedUntilItsRelease() throws InterruptedException {
        Recorder.begin();
        registry.set("rec_point", "pause");
        Thread t = new Thread(() -> point.evaluate("Site.m()"), "pauser");
        t.start();
        org.awaitility.Awaitility.await().until(() -> registry.status("rec_point").paused().size() == 1);
        registry.set("rec_point", "off");
        t.join(10_000);
        List<TraceEvent> es = Recorder.snapshot().events();
        assertEquals(List.of(Kind.EVALUATED, Kind.FIRED, Kind.PAUSE_BEGIN, Kind.PAUSE_END),
                es.stream().map(TraceEvent::kind).toList());
        assertTrue(es.stream().allMatch(e -> e.thread().equals("pauser")));
    }

    @Test
    void nothingIsRecordedOutsideARun() {
        Recorder.begin();
        Recorder.end();
        registry.set("rec_point", "return(1)");
        point.evaluate("Site.m()");
        assertFalse(Recorder.recording());
        assertTrue(Recorder.snapshot().events().isEmpty());
    }

    @Test
    void beginStartsTheNumbersAgainAndForgetsTheLastRun() {
        registry.set("rec_point", "return(1)");
        Recorder.begin();
        point.evaluate("Site.m()");
        Recorder.begin();
        point.evaluate("Site.m()");
        assertEquals(List.of(1L, 2L), Recorder.snapshot().events().stream().map(TraceEvent::seq).toList());
    }

    @Test
    void eachThreadKeepsItsLastEventsAndTheRecordSaysItOverflowed() {
        Recorder.begin(4);
        registry.set("rec_point", "return(1)");
        for (int i = 0; i < 10; i++) {
            point.evaluate("Site.m()");
        }
        Recorder.Record r = Recorder.snapshot();
        assertEquals(4, r.events().size());
        assertEquals(List.of(17L, 18L, 19L, 20L), r.events().stream().map(TraceEvent::seq).toList());
        assertFalse(r.complete());
        assertTrue(r.overflowed().get(0).contains("16 earliest events overwritten"), r.overflowed().toString());
    }

    @Test
    void crossingsOfManyThreadsAreCountedExactlyAndNumberedOnce() throws InterruptedException {
        Recorder.begin(10_000);
        registry.set("rec_point", "50%yield");
        int threads = 4;
        int each = 1000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int j = 0; j < each; j++) {
                    point.evaluate("Site.m()");
                }
            }, "worker-" + i);
            ts.add(t);
            t.start();
        }
        go.countDown();
        for (Thread t : ts) {
            t.join(30_000);
        }
        Recorder.Record r = Recorder.snapshot();
        assertTrue(r.complete());
        assertEquals(threads * each, r.crossings().size());
        Set<Long> seqs = new HashSet<>();
        r.events().forEach(e -> assertTrue(seqs.add(e.seq()), "seq " + e.seq() + " twice"));
        long fires = r.events().stream().filter(e -> e.kind() == Kind.FIRED).count();
        assertEquals(registry.status("rec_point").fired("yield"), fires);
    }
}
