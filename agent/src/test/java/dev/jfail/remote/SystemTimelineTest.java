package dev.jfail.remote;

import dev.jfail.trace.Chromium;
import dev.jfail.trace.Recorder;
import dev.jfail.trace.TimelineHtml;
import dev.jfail.trace.TraceEvent;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The merged timeline of a system: each JVM's record as its channel sends it, moved onto this JVM's
 * clock, drawn as a lane group per JVM (looked at in headless chromium).
 */
class SystemTimelineTest {

    private static final Path OUT = Path.of("target", "timeline-test");

    /** A record as JvmRequests#recorded sends it: events {@code [seq, nanos, thread, threadId, kind, point, site, action, detail]}. */
    private static Map<String, Object> sent(long begin, List<List<Object>> events) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("begin", begin);
        m.put("overflowed", List.of());
        m.put("events", new ArrayList<Object>(events));
        return m;
    }

    private static List<Object> event(long seq, long nanos, String thread, String kind, String point, String action) {
        return new ArrayList<>(java.util.Arrays.asList(seq, nanos, thread, 1L, kind, point, "Site.m()", action, "detail"));
    }

    @Test
    void eachJvmGetsALaneGroupOnThisJvmsClock() throws Exception {
        long now = System.nanoTime();
        long leaderOffset = 5_000_000_000L; // its nanoTime runs 5 s ahead of ours
        long followerOffset = -3_000_000_000L;
        SystemTimeline.Part leader = SystemTimeline.part("leader", 11, leaderOffset, sent(now + leaderOffset, List.of(
                event(1, now + leaderOffset + 2_000_000, "leader-conn", "EVALUATED", "leader_reply", "none"))));
        SystemTimeline.Part follower = SystemTimeline.part("follower", 12, followerOffset, sent(now + followerOffset, List.of(
                event(1, now + followerOffset + 1_000_000, "applier", "EVALUATED", "follower_apply", "1:pause"),
                event(2, now + followerOffset + 1_000_100, "applier", "PAUSE_BEGIN", "follower_apply", "pause"),
                event(3, now + followerOffset + 4_000_000, "applier", "PAUSE_END", "follower_apply", "pause"))));
        assertEquals(now + 2_000_000, leader.record().events().get(1).nanos(), "moved onto this JVM's clock");

        Recorder.Record local = new Recorder.Record(now, List.of(new TraceEvent(TraceEvent.NO_SEQ, now + 3_000_000, "main", 1,
                TraceEvent.Kind.FAILURE, "test", null, "stale read", "expected 1 but was null")), List.of());
        Recorder.Record merged = SystemTimeline.merge("test", local, List.of(leader, follower));
        assertEquals(List.of("follower \u25b8 (process)", "follower \u25b8 applier", "follower \u25b8 applier", "leader \u25b8 (process)",
                        "leader \u25b8 leader-conn", "test \u25b8 main", "follower \u25b8 applier"),
                merged.events().stream().map(TraceEvent::thread).toList(), "one order of time across the JVMs");

        Path page = OUT.resolve("system.html");
        TimelineHtml.write(new TimelineHtml.Header("replication, 3 JVMs", List.of(Map.entry("test", "ReplicationTest")),
                "stale read", true), merged, page);
        String dom = Chromium.dumpDom(page);
        assertEquals(List.of("follower", "leader", "test"), Chromium.attributes(dom, "g", "group", "data-group"));
        assertEquals(List.of("follower \u25b8 (process)", "follower \u25b8 applier", "leader \u25b8 (process)", "leader \u25b8 leader-conn",
                "test \u25b8 main"), Chromium.attributes(dom, "g", "lane", "data-thread"), "the lanes of a JVM together");
        assertEquals(1, Chromium.attributes(dom, "rect", "bar bar-pause", "data-point").size());
        Chromium.screenshot(page, OUT.resolve("system.png"), 500);
        assertTrue(java.nio.file.Files.size(OUT.resolve("system.png")) > 0);
    }
}
