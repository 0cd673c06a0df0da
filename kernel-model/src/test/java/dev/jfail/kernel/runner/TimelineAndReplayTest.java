package dev.jfail.kernel.runner;

import dev.jfail.trace.Chromium;
import dev.jfail.replay.ReplayFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failing collapse run with {@code --timeline} and {@code --record}: its page, rendered by headless
 * Chromium, shows the fault ({@code make}), the collapse ({@code sh}) and the pagedaemon lanes, the two
 * points' sleeps and returns and the panic; its replay file plays the panic again in the recorded order.
 */
@Timeout(600)
class TimelineAndReplayTest {

    private static final Path DIR = Path.of("target", "timeline-and-replay");
    private static final String SETTINGS = "unlock_and_deallocate_relock=50%sleep(10);vmob_scan_rename_unlock=20%return(1)";
    private static Ran recorded;
    private static Path page;
    private static Path replay;

    private static Ran run(String... args) {
        return Ran.run(args);
    }

    @BeforeAll
    static void recordAFailingCollapseRun() throws IOException {
        Files.createDirectories(DIR);
        try (var old = Files.list(DIR)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        // warm the JIT first, as a run that fails after a while is: a cold run's timing is its own
        run("run", "collapse", "--variant", "buggy", "-n", "100", "--quiet");
        recorded = run("run", "collapse", "--variant", "buggy", "-n", "1000", "--max-failures", "3", "--full", "3",
                "--timeline", DIR.toString(), "--record", DIR.toString(), "--quiet");
        Matcher t = Pattern.compile("timeline: (\\S+)").matcher(recorded.out());
        Matcher r = Pattern.compile("replay: +(\\S+)").matcher(recorded.out());
        assertTrue(t.find() && r.find(), recorded.out() + recorded.err());
        page = Path.of(t.group(1));
        replay = Path.of(r.group(1));
    }

    @Test
    void theFilesAreNamedForTheRaceVariantAndRun() {
        assertEquals(0, recorded.status(), recorded.err());
        Matcher m = Pattern.compile("--- collapse/buggy \\(\\w+\\): run (\\d+): PANIC").matcher(recorded.out());
        assertTrue(m.find(), recorded.out());
        assertEquals(DIR.resolve("collapse-buggy-run" + m.group(1) + ".html"), page);
        assertEquals(DIR.resolve("collapse-buggy-run" + m.group(1) + ".replay"), replay);
    }

    @Test
    void theTimelineShowsTheLanesThePointsAndThePanicInChromium() throws Exception {
        assertTrue(Files.size(page) < 400_000, "size " + Files.size(page));
        String dom = Chromium.dumpDom(page);
        List<String> lanes = Chromium.attributes(dom, "g", "lane", "data-thread");
        assertTrue(lanes.containsAll(List.of("make", "sh", "pagedaemon")), lanes.toString());
        List<String> fires = new ArrayList<>(Chromium.attributes(dom, "path", "mark fire fire-return", "data-point"));
        fires.addAll(Chromium.attributes(dom, "rect", "bar bar-sleep", "data-point"));
        assertTrue(fires.contains("vmob_scan_rename_unlock"), "the rename failure is marked: " + fires);
        // the preset sleeps half the time: the fault's point is a sleep bar, or at least an evaluation mark
        List<String> evaluated = Chromium.attributes(dom, "line", "mark eval", "data-point");
        assertTrue(fires.contains("unlock_and_deallocate_relock") || evaluated.contains("unlock_and_deallocate_relock"),
                "the fault's point is on its lane: " + fires + " " + evaluated);
        assertTrue(dom.contains("class=\"failure\""), "the panic is marked");
        assertTrue(dom.contains(">freeing mapped page 0x"), "the panic is labelled");
        assertTrue(dom.contains("<dd>collapse</dd>") && dom.contains("<dd>buggy</dd>"), "the header names race and variant");
        assertTrue(dom.contains("PANIC: freeing mapped page"), "the header says how it ended");
        Chromium.screenshot(page, DIR.resolve("collapse-timeline.png"), 650);
    }

    @Test
    void theReplayFileHasWhatWasRunAndTheOrderOfCrossings() throws IOException {
        ReplayFile rf = ReplayFile.read(replay);
        assertEquals("collapse", rf.first("race").orElseThrow());
        assertEquals("buggy", rf.first("variant").orElseThrow());
        assertEquals(SETTINGS, rf.settings());
        assertTrue(rf.first("seed").isPresent());
        assertEquals("PANIC: freeing mapped page 0x\u2026", rf.first("symptom").orElseThrow());
        assertTrue(rf.crossings().stream().anyMatch(c -> c.point().equals("vmob_scan_rename_unlock")
                && c.decision().equals("0:20%return(1)")), "the rename failure's decision is recorded");
    }

    @Test
    void replayingInTheRecordedOrderShowsThePanicAgain() throws IOException {
        // every recorded failure, replayed 4 times each: all of them show it on a quiet machine, half is a
        // generous bound for a loaded one (the per-race figures, from a JVM of their own, are in the README)
        List<Path> files;
        try (var listing = Files.list(DIR)) {
            files = listing.filter(p -> p.getFileName().toString().matches("collapse-buggy-run\\d+\\.replay")).sorted().toList();
        }
        assertFalse(files.isEmpty(), recorded.out());
        int same = 0;
        for (Path file : files) {
            Ran r = run("replay", file.toString(), "-n", "4", "--json", "--quiet");
            assertTrue(r.out().startsWith("{\"runs\":4,\"same_symptom\":"), r.out() + r.err());
            Matcher m = Pattern.compile("\"same_symptom\":(\\d+)").matcher(r.out());
            assertTrue(m.find());
            same += Integer.parseInt(m.group(1));
            Matcher inTurn = Pattern.compile("\"crossings_in_turn\":(\\d+)").matcher(r.out());
            int replays = 0;
            while (inTurn.find()) {
                replays++;
                assertTrue(Integer.parseInt(inTurn.group(1)) > 0, "each replay kept the order for a while: " + r.out());
            }
            assertEquals(4, replays);
        }
        int total = 4 * files.size();
        assertTrue(2 * same >= total, "the panic comes back in at least half of the " + total + " replays, not " + same);
    }

    @Test
    void aTurnThatNeverComesIsReportedAndTheReplayEnds() throws IOException {
        ReplayFile rf = ReplayFile.read(replay);
        ReplayFile.Crossing strict = rf.crossings().stream().filter(c -> c.point().equals("vmob_scan_rename_unlock"))
                .findFirst().orElseThrow();
        List<ReplayFile.Crossing> order = new ArrayList<>();
        order.add(new ReplayFile.Crossing(1, 0, "ghost", strict.point(), "none"));
        for (ReplayFile.Crossing c : rf.crossings()) {
            order.add(new ReplayFile.Crossing(c.number() + 1, c.millis(), c.thread(), c.point(), c.decision()));
        }
        Path ghostly = DIR.resolve("ghost.replay");
        new ReplayFile(rf.header(), order).write(ghostly);
        Ran r = run("replay", ghostly.toString(), "-n", "1", "--patience", "300ms", "--quiet");
        assertTrue(r.out().matches("(?s).*order given up after 0 of \\d+ crossings: thread \\S+ waited 300 ms at point "
                + "\\S+ for crossing #\\d+; the turn of crossing #1 \\(thread ghost at point vmob_scan_rename_unlock\\) "
                + "never came.*"), r.out());
    }

    @Test
    void aMissingReplayFileIsAOneLineError() {
        Ran r = run("replay", DIR.resolve("nothing.replay").toString());
        assertEquals(2, r.status());
        assertEquals("replay: no replay file " + DIR.resolve("nothing.replay") + "\n", r.err());
    }
}
