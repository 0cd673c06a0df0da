package dev.jfail.explore;

import dev.jfail.FailPointStatus;
import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.Site;
import dev.jfail.trace.Recorder;
import dev.jfail.trace.TraceEvent;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** This JVM's points: a {@link FailPointRegistry} (the global one, or a test's own). */
record LocalHost(String qualifier, FailPointRegistry registry) implements Host {

    /** This JVM's registry, its points unqualified. */
    LocalHost(FailPointRegistry registry) {
        this(null, registry);
    }

    @Override
    public String name() {
        return qualifier;
    }

    @Override
    public boolean alive() {
        return true;
    }

    @Override
    public long seed() {
        return registry.seed();
    }

    @Override
    public void seed(long seed) {
        registry.seed(seed);
    }

    @Override
    public void reset() {
        registry.reset();
    }

    @Override
    public void setAll(String settings) {
        registry.setAll(settings);
    }

    @Override
    public void set(String point, String setting) {
        registry.set(point, setting);
    }

    @Override
    public FailPointStatus status(String point) {
        return registry.status(point);
    }

    @Override
    public Map<String, Long> evaluations(Collection<String> points) {
        Map<String, Long> m = new HashMap<>();
        for (String p : points) {
            m.put(p, registry.status(p).evaluations());
        }
        return m;
    }

    @Override
    public List<String> declaredNames() {
        return registry.declaredNames();
    }

    @Override
    public List<Site> sites(String point) {
        return registry.point(point).sites();
    }

    @Override
    public boolean mayPanic() {
        return qualifier == null;   // one that stands for another JVM is treated as one
    }

    @Override
    public boolean beginRecording() {
        if (Recorder.recording()) {
            return false;   // a test's recording: its events are read, it goes on
        }
        Recorder.begin();
        return true;
    }

    @Override
    public List<TraceEvent> endRecording(boolean started) {
        if (started) {
            Recorder.end();
        }
        return Recorder.snapshot().events();
    }
}
