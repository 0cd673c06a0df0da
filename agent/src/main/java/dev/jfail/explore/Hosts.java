package dev.jfail.explore;

import dev.jfail.FailPointStatus;
import dev.jfail.core.JvmPoint;
import dev.jfail.core.SettingList;
import dev.jfail.core.Site;
import dev.jfail.trace.TraceEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVMs whose points an exploration uses, as one place of points named as {@link JvmPoint} says:
 * this JVM's unqualified, another's {@code JVM:POINT}. Each operation goes to the JVM the name
 * routes it to; those over all points go to every JVM.
 */
final class Hosts {

    /** Thread ids of the i-th JVM's recorded crossings are moved up by i times this, so that no two JVMs' threads meet. */
    private static final long THREAD_ID_SPACE = 1L << 40;

    private final Host local;
    private final Map<String, Host> others = new LinkedHashMap<>();
    private boolean[] recording = new boolean[0];

    /** {@code local} (this JVM's points) and {@code others}, each of those with a qualifier of its own. */
    Hosts(Host local, List<Host> others) {
        this.local = local;
        for (Host h : others) {
            if (this.others.put(h.qualifier(), h) != null) {
                throw new IllegalArgumentException("explore: two JVMs are called " + h.qualifier()
                        + ": give each launched JVM a name of its own");
            }
        }
    }

    /** Whether any other JVM takes part (then a poll costs a round trip). */
    boolean remote() {
        return !others.isEmpty();
    }

    /** Each other JVM's qualifier to its name. */
    Map<String, String> names() {
        Map<String, String> m = new LinkedHashMap<>();
        others.forEach((q, h) -> m.put(q, h.name()));
        return m;
    }

    /** Every JVM, this one first. */
    List<Host> all() {
        List<Host> all = new ArrayList<>();
        all.add(local);
        all.addAll(others.values());
        return all;
    }

    /** Where {@code name} lives. */
    JvmPoint route(String name) {
        return JvmPoint.of(name, others.keySet());
    }

    private Host host(JvmPoint p) {
        return p.local() ? local : others.get(p.jvm());
    }

    /** The other JVMs that have exited, as their handles say it (empty: all are there). */
    List<String> gone() {
        List<String> gone = new ArrayList<>();
        for (Host h : others.values()) {
            if (!h.alive()) {
                gone.add(h.toString());
            }
        }
        return gone;
    }

    void reset() {
        all().forEach(Host::reset);
    }

    /** Every JVM still there reset: what must happen however the exploration ends. */
    void resetWhatIsThere() {
        for (Host h : all()) {
            if (h.alive()) {
                try {
                    h.reset();
                } catch (RuntimeException e) {
                    // it went while being reset: nothing left to turn off there
                }
            }
        }
    }

    /** Each JVM's seed, this one's first. */
    List<Long> seeds() {
        return all().stream().map(Host::seed).toList();
    }

    /** The seeds {@link #seeds()} read, back in each JVM still there. */
    void seeds(List<Long> seeds) {
        List<Host> all = all();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).alive()) {
                try {
                    all.get(i).seed(seeds.get(i));
                } catch (RuntimeException e) {
                    // it went meanwhile: no seed to give back there
                }
            }
        }
    }

    /** The same seed everywhere: a run's rolls in every JVM. */
    void seed(long seed) {
        all().forEach(h -> h.seed(seed));
    }

    /** The settings (qualified names), each JVM's part in one call there. */
    void setAll(Map<String, String> settings) {
        Map<Host, Map<String, String>> split = new LinkedHashMap<>();
        settings.forEach((name, setting) -> {
            JvmPoint p = route(name);
            split.computeIfAbsent(host(p), h -> new LinkedHashMap<>()).put(p.point(), setting);
        });
        split.forEach((h, part) -> h.setAll(SettingList.join(part)));
    }

    void set(String name, String setting) {
        JvmPoint p = route(name);
        host(p).set(p.point(), setting);
    }

    FailPointStatus status(String name) {
        JvmPoint p = route(name);
        return host(p).status(p.point());
    }

    /** The crossings of each of {@code names} (qualified), one call per JVM. */
    Map<String, Long> evaluations(Collection<String> names) {
        Map<Host, Map<String, String>> split = new LinkedHashMap<>();
        for (String name : names) {
            JvmPoint p = route(name);
            split.computeIfAbsent(host(p), h -> new LinkedHashMap<>()).put(p.point(), name);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        split.forEach((h, bareToName) -> h.evaluations(bareToName.keySet())
                .forEach((bare, n) -> out.put(bareToName.get(bare), n)));
        return out;
    }

    /** Every JVM's declared points, qualified, this JVM's first. */
    List<String> declaredNames() {
        List<String> names = new ArrayList<>(local.declaredNames());
        for (Host h : others.values()) {
            for (String p : h.declaredNames()) {
                names.add(new JvmPoint(h.qualifier(), p).qualified());
            }
        }
        return names;
    }

    List<Site> sites(String name) {
        JvmPoint p = route(name);
        return host(p).sites(p.point());
    }

    boolean mayPanic(String name) {
        return host(route(name)).mayPanic();
    }

    /** Starts recording the crossings in every JVM. */
    void beginRecording() {
        List<Host> all = all();
        recording = new boolean[all.size()];
        for (int i = 0; i < all.size(); i++) {
            recording[i] = all.get(i).beginRecording();
        }
    }

    /** The crossings every JVM recorded, points qualified, on this JVM's clock, in time order. */
    List<TraceEvent> endRecording() {
        List<Host> all = all();
        List<TraceEvent> events = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Host h = all.get(i);
            long ids = i * THREAD_ID_SPACE;
            for (TraceEvent e : h.endRecording(i < recording.length && recording[i])) {
                if (h.qualifier() == null) {
                    events.add(e);
                } else if (e.isCrossing() && e.point() != null) {
                    events.add(new TraceEvent(e.seq(), e.nanos(), e.thread(), e.threadId() + ids, e.kind(),
                            new JvmPoint(h.qualifier(), e.point()).qualified(), e.site(), e.action(), e.describe()));
                }
            }
        }
        events.sort(Comparator.comparingLong(TraceEvent::nanos));
        return events;
    }
}
