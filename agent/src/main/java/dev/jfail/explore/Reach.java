package dev.jfail.explore;

import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.ReturnValues;
import dev.jfail.core.Site;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the explorer knows of its points: which the workload reaches and at most how often in one
 * run (every allowed point is armed with a counting {@code off} in every trial, so this grows as
 * rarer paths show up), and which carry a method that can fail (one that returns a value).
 */
final class Reach {

    /** A counted off: does nothing, but the point counts its crossings. */
    static final String COUNTING = "2147483647*off";

    private final List<String> allowed;
    private final Map<String, Long> crossings = new LinkedHashMap<>();

    Reach(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    List<String> allowed() {
        return allowed;
    }

    /** After a trial: each allowed point's crossings in it. */
    void observe(FailPointRegistry registry) {
        for (String point : allowed) {
            long n = registry.status(point).evaluations();
            if (n > 0) {
                crossings.merge(point, n, Math::max);
            }
        }
    }

    /** The points reached so far, in the allowed order. */
    List<String> reached() {
        List<String> r = new ArrayList<>();
        for (String p : allowed) {
            if (crossings.containsKey(p)) {
                r.add(p);
            }
        }
        return r;
    }

    /** The most crossings of {@code point} seen in one run (0: never reached). */
    long crossings(String point) {
        return crossings.getOrDefault(point, 0L);
    }

    /** Point to most crossings in one run, for reports. */
    Map<String, Long> crossings() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String p : reached()) {
            m.put(p, crossings.get(p));
        }
        return m;
    }

    /** The reached points whose every carrying method returns a value that {@code return(1)} can make. */
    List<String> canFail(FailPointRegistry registry) {
        List<String> r = new ArrayList<>();
        for (String p : reached()) {
            List<Site> sites = registry.point(p).sites();
            if (!sites.isEmpty() && sites.stream().noneMatch(s -> s.returnType().equals("void")
                    || s.returnType().equals("java.lang.Void") || ReturnValues.problem(s.returnType(), 1) != null)) {
                r.add(p);
            }
        }
        return r;
    }
}
