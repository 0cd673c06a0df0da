package dev.jfail.explore;

import dev.jfail.FailPointStatus;
import dev.jfail.Jvm;
import dev.jfail.core.JvmPoint;
import dev.jfail.core.Site;
import dev.jfail.remote.RemoteJvms;
import dev.jfail.trace.TraceEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Another JVM's points, through its handle: each operation one round trip over its channel (after a
 * run, every count in one). The explorer throws nothing there ({@code panic}): the JVM outlives the
 * run, so a thread an exception kills there would break every later run, and what dies there is not
 * seen here; nor does it force {@code return(n)}, as the methods' return types are not known here.
 */
record JvmHost(Jvm jvm, String qualifier) implements Host {

    /** The return type of a method in another JVM: none that {@code return(n)} can make. */
    static final String UNKNOWN_TYPE = "?";

    JvmHost(Jvm jvm) {
        this(jvm, JvmPoint.qualifier(jvm.name()));
    }

    @Override
    public String name() {
        return jvm.name();
    }

    @Override
    public boolean alive() {
        return jvm.alive();
    }

    @Override
    public long seed() {
        return jvm.seed();
    }

    @Override
    public void seed(long seed) {
        jvm.seed(seed);
    }

    @Override
    public void reset() {
        jvm.reset();
    }

    @Override
    public void setAll(String settings) {
        jvm.setAll(settings);
    }

    @Override
    public void set(String point, String setting) {
        jvm.set(point, setting);
    }

    @Override
    public FailPointStatus status(String point) {
        return jvm.status(point);
    }

    @Override
    public Map<String, Long> evaluations(Collection<String> points) {
        Map<String, Long> m = new HashMap<>();
        for (FailPointStatus s : RemoteJvms.statusAll(jvm)) {
            if (points.contains(s.name())) {
                m.put(s.name(), s.evaluations());
            }
        }
        return m;
    }

    @Override
    public List<String> declaredNames() {
        List<String> names = new ArrayList<>();
        for (FailPointStatus s : RemoteJvms.statusAll(jvm)) {
            if (s.declared()) {
                names.add(s.name());
            }
        }
        return names;
    }

    @Override
    public List<Site> sites(String point) {
        List<Site> sites = new ArrayList<>();
        for (String method : jvm.status(point).sites()) {
            sites.add(new Site(method, UNKNOWN_TYPE));
        }
        return sites;
    }

    @Override
    public boolean mayPanic() {
        return false;
    }

    @Override
    public boolean beginRecording() {
        jvm.record();
        return true;
    }

    @Override
    public List<TraceEvent> endRecording(boolean started) {
        return RemoteJvms.recorded(jvm).events();
    }

    @Override
    public String toString() {
        return jvm.toString();
    }
}
