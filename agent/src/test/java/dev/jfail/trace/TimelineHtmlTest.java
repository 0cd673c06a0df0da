package dev.jfail.trace;

import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.FailPointState;
import dev.jfail.trace.TraceEvent.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.parallel.ResourceLock;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timeline page of a small two-thread run and of an eight-thread one, rendered by headless
 * Chromium: a lane per thread, the points' marks and bars, the failure. Screenshots go to
 * {@code target/timeline-screenshots/} to be looked at.
 */
@Timeout(300)
@ResourceLock("dev.jfail.trace.Recorder")
class TimelineHtmlTest {

    private static final Path OUT = Path.of("target", "timeline-screenshots");

    private final FailPointRegistry registry = new FailPointRegistry(3);
    private final FailPointState relock = registry.point("unlock_and_deallocate_relock");
    private final FailPointState rename = registry.point("vmob_scan_rename_unlock");
    private final FailPointState gate = registry.point("gate");

    @AfterEach
    void reset() {
        registry.reset();
        Recorder.end();
    }

    private static TimelineHtml.Header header(String title, int threads) {
        return new TimelineHtml.Header(title, List.of(Map.entry("race", "toy"), Map.entry("variant", "buggy"),
                Map.entry("threads", Integer.toString(threads)), Map.entry("settings",
                        "unlock_and_deallocate_relock=50%sleep(10);vmob_scan_rename_unlock=20%return(1)"),
                Map.entry("seed", "3")), "PANIC: panic: freeing mapped page 0xfffff8007e001000", true);
    }

    /** A two-thread run: one sleeps at a point, the other returns early from one; then one panics. */
    private Recorder.Record twoThreadRun() throws InterruptedException {
        Recorder.begin();
        registry.set("unlock_and_deallocate_relock", "50%sleep(10)");
        registry.set("vmob_scan_rename_unlock", "20%return(1)");
        Thread fault = new Thread(() -> {
            for (int i = 0; i < 12; i++) {
                relock.evaluate("VmFault.unlock_and_deallocate()");
            }
        }, "fault");
        Thread collapse = new Thread(() -> {
            for (int i = 0; i < 40; i++) {
                rename.evaluate("VmObjectCollapse.vm_object_scan_rename()");
                Recorder.add(TraceEvent.external(Kind.MARK, "vm object 0xfffff800", "lock", "VM_OBJECT_WLOCK"));
                sleepQuietly(2);
            }
            Recorder.add(TraceEvent.external(Kind.FAILURE, "vm_page 0xfffff8007e001000", "panic: freeing mapped page",
                    "panic: freeing mapped page 0xfffff8007e001000\ncpuid = 0\nKDB: stack backtrace:\n..."));
        }, "collapse");
        fault.start();
        collapse.start();
        fault.join(30_000);
        collapse.join(30_000);
        return Recorder.snapshot();
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<String> attr(String dom, String element, String cls, String attr) {
        return Chromium.attributes(dom, element, cls, attr);
    }

    @Test
    void twoThreadsShowTheirLanesMarksBarsAndTheFailure() throws Exception {
        Recorder.Record record = twoThreadRun();
        Path page = OUT.resolve("two-threads.html");
        TimelineHtml.write(header("toy/buggy, run 1", 2), record, page);
        String html = Files.readString(page);
        assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"),
                "the page fetches nothing");
        assertTrue(Files.size(page) < 300_000, "size " + Files.size(page));

        String dom = Chromium.dumpDom(page);
        assertEquals(List.of("collapse", "fault"), attr(dom, "g", "lane", "data-thread").stream().sorted().toList());
        List<String> fires = attr(dom, "path", "mark fire fire-return", "data-point");
        long returns = record.events().stream().filter(e -> e.kind() == Kind.FIRED && e.action().equals("return(1)")).count();
        assertTrue(returns > 0, "the seed should make return(1) fire");
        assertEquals(returns, fires.size());
        assertTrue(fires.stream().allMatch("vmob_scan_rename_unlock"::equals));
        long sleeps = record.events().stream().filter(e -> e.kind() == Kind.SLEEP_BEGIN).count();
        assertTrue(sleeps > 0);
        assertEquals(sleeps, attr(dom, "rect", "bar bar-sleep", "data-point").size());
        assertEquals(record.crossings().size(), attr(dom, "line", "mark eval", "data-point").size());
        assertEquals(List.of("collapse"), attr(dom, "g", "failure", "data-thread"));
        assertTrue(dom.contains(">panic: freeing mapped page</text>"), "the failure is labelled");
        assertTrue(dom.contains("PANIC: panic: freeing mapped page 0xfffff8007e001000"), "the outcome is in the header");
        assertTrue(dom.contains("<dd>unlock_and_deallocate_relock=50%sleep(10);vmob_scan_rename_unlock=20%return(1)</dd>"));

        Chromium.screenshot(page, OUT.resolve("two-threads.png"), 700);
    }

    @Test
    void eightThreadsGetEightLanesAndAPauseBarUntilTheRelease() throws Exception {
        Recorder.begin();
        registry.set("gate", "pause");
        registry.set("unlock_and_deallocate_relock", "30%sleep(3)");
        CountDownLatch done = new CountDownLatch(7);
        List<Thread> threads = new ArrayList<>();
        Thread paused = new Thread(() -> gate.evaluate("Worker.gate()"), "g_up");
        paused.start();
        await().until(() -> registry.status("gate").paused().size() == 1);
        for (int i = 0; i < 7; i++) {
            Thread t = new Thread(() -> {
                for (int j = 0; j < 10; j++) {
                    relock.evaluate("Worker.step()");
                }
                done.countDown();
            }, List.of("pagedaemon", "swapper", "bufdaemon", "syncer", "vnlru", "md0", "nfsiod 0").get(i));
            threads.add(t);
            t.start();
        }
        done.await();
        registry.set("gate", "off");
        paused.join(10_000);
        for (Thread t : threads) {
            t.join(10_000);
        }
        Recorder.add(TraceEvent.external(Kind.FAILURE, null, "deadlock", "lock order reversal"));
        Recorder.Record record = Recorder.snapshot();
        Path page = OUT.resolve("eight-threads.html");
        TimelineHtml.write(header("toy/buggy, run 2", 8), record, page);

        String dom = Chromium.dumpDom(page);
        List<String> lanes = attr(dom, "g", "lane", "data-thread");
        assertEquals(9, lanes.size(), lanes.toString()); // 8 workers and the test's own thread, which failed
        assertTrue(lanes.containsAll(List.of("g_up", "pagedaemon", "nfsiod 0")));
        assertEquals(List.of("g_up"), attr(dom, "rect", "bar bar-pause", "data-thread"));
        assertEquals(1, attr(dom, "g", "failure", "data-thread").size());

        Chromium.screenshot(page, OUT.resolve("eight-threads.png"), 800);
    }

    @Test
    void aHugeRunIsThinnedToTheEventsThatMatter() {
        List<TraceEvent> many = new ArrayList<>();
        for (int i = 0; i < TimelineHtml.MAX_EVENTS + 500; i++) {
            many.add(new TraceEvent(i + 1, i * 1000L, "t", 1, Kind.EVALUATED, "p", null, FailPointTrace.NONE, null));
        }
        many.add(new TraceEvent(99_999, 99_999_000L, "t", 1, Kind.FIRED, "p", null, "return(1)", null));
        List<TraceEvent> kept = TimelineHtml.thin(many);
        assertEquals(TimelineHtml.MAX_EVENTS, kept.size());
        assertEquals(Kind.FIRED, kept.get(kept.size() - 1).kind());
        assertEquals(502, kept.get(0).seq());
        String page = TimelineHtml.render(header("huge", 1), new Recorder.Record(0, many, List.of()));
        assertTrue(page.contains("501 earlier evaluations that fired nothing are left out."));
        assertTrue(page.length() < 400_000, "size " + page.length());
    }
}
