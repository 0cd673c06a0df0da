package dev.jfail.explore;

import dev.jfail.core.ReturnValues;
import dev.jfail.core.RuntimeDeclarations;
import dev.jfail.core.Site;
import dev.jfail.trace.TraceEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the explorer knows of its points: which the workload reaches and at most how often in one
 * run (every allowed point is armed with a counting {@code off} in every trial, so this grows as
 * rarer paths show up); which two or more threads cross; which pairs of points different threads
 * cross close in time, or that sit on the same state (the same field, the same class); and which
 * carry a method that can fail (one that returns a value).
 */
final class Reach {

    /** A counted off: does nothing, but the point counts its crossings. */
    static final String COUNTING = "2147483647*off";
    /** Two crossings by different threads this close are a pair on shared state, most likely. */
    static final long CLOSE_NANOS = 1_000_000;
    /** How many later crossings each crossing is compared with, so that a long record stays linear. */
    private static final int LOOK_AHEAD = 16;

    private final List<String> allowed;
    /** Concurrent: a run's watchdog reads the counts in before it turns every point off. */
    private final Map<String, Long> crossings = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Set<Long>> threads = new HashMap<>();
    /** "a\0b" (a before b in name order) to how often different threads crossed them close in time. */
    private final Map<String, Integer> close = new HashMap<>();
    private final Map<String, String> state = new HashMap<>();
    private final Map<String, List<String>> throwsOf = new HashMap<>();
    private final Set<String> noPanic = new HashSet<>();
    private final Map<String, List<String>> returnTypes = new HashMap<>();

    Reach(List<String> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    List<String> allowed() {
        return allowed;
    }

    /** After a trial: each allowed point's crossings in it. */
    void observe(Hosts hosts) {
        hosts.evaluations(allowed).forEach((point, n) -> {
            if (n > 0) {
                crossings.merge(point, n, Math::max);
            }
        });
    }

    /**
     * After a recorded trial: which threads crossed each point, and which pairs of points different
     * threads crossed within {@value #CLOSE_NANOS} ns of each other ({@code events} in time order).
     */
    void observeThreads(List<TraceEvent> events) {
        Set<String> mine = new HashSet<>(allowed);
        List<TraceEvent> cs = new ArrayList<>();
        for (TraceEvent e : events) {
            if (e.isCrossing() && mine.contains(e.point())) {
                cs.add(e);
                threads.computeIfAbsent(e.point(), p -> new HashSet<>()).add(e.threadId());
            }
        }
        for (int i = 0; i < cs.size(); i++) {
            TraceEvent a = cs.get(i);
            for (int j = i + 1; j < cs.size() && j <= i + LOOK_AHEAD; j++) {
                TraceEvent b = cs.get(j);
                if (b.nanos() - a.nanos() > CLOSE_NANOS) {
                    break;
                }
                if (b.threadId() != a.threadId()) {
                    close.merge(key(a.point(), b.point()), 1, Integer::sum);
                }
            }
        }
    }

    /**
     * Reads the points' sites once: what state each sits on (its field, else its class), and the
     * checked exceptions its method declares.
     */
    void readSites(Hosts hosts) {
        for (String p : allowed) {
            List<Site> sites = hosts.sites(p);
            state.computeIfAbsent(p, q -> stateOf(sites));
            throwsOf.computeIfAbsent(p, q -> declaredThrows(sites));
            if (!hosts.mayPanic(p)) {
                noPanic.add(p);
            }
            returnTypes.put(p, sites.stream().map(Site::returnType).toList());
        }
    }

    /** The reached points where an exception may be injected (see {@link Host#mayPanic()}). */
    List<String> mayPanic() {
        List<String> r = new ArrayList<>(reached());
        r.removeAll(noPanic);
        return r;
    }

    /** The checked exception classes {@code point}'s method declares (empty: none, or unknown): for {@code panic(CLASS)}. */
    List<String> declaredThrows(String point) {
        return throwsOf.getOrDefault(point, List.of());
    }

    /** By reflection on the class of the first site, every method of that name: what {@code throws} says. */
    static List<String> declaredThrows(List<Site> sites) {
        if (sites.isEmpty()) {
            return List.of();
        }
        String m = sites.get(0).method();
        int paren = m.indexOf('(');
        String method = paren < 0 ? m : m.substring(0, paren);
        int dot = method.lastIndexOf('.');
        if (dot < 0) {
            return List.of();
        }
        Set<String> out = new java.util.TreeSet<>();
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> c = Class.forName(method.substring(0, dot), false, loader != null ? loader : Reach.class.getClassLoader());
            for (java.lang.reflect.Method each : c.getDeclaredMethods()) {
                if (each.getName().equals(method.substring(dot + 1))) {
                    for (Class<?> t : each.getExceptionTypes()) {
                        if (Exception.class.isAssignableFrom(t) && !RuntimeException.class.isAssignableFrom(t)) {
                            out.add(t.getName());
                        }
                    }
                }
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return List.of();   // not a class here (a test's own sites, another loader): plain panic only
        }
        return List.copyOf(out);
    }

    /**
     * {@code com.acme.Pool#count} for a point placed at a field ({@code ...:after=field:count}), else
     * the class of its (first) carrying method; null when it has no site.
     */
    static String stateOf(List<Site> sites) {
        if (sites.isEmpty()) {
            return null;
        }
        String m = sites.get(0).method();
        int paren = m.indexOf('(');
        String method = paren < 0 ? m : m.substring(0, paren);
        int dot = method.lastIndexOf('.');
        String cls = dot < 0 ? method : method.substring(0, dot);
        int field = m.indexOf("field:");
        if (field >= 0) {
            String name = m.substring(field + "field:".length()).split("[#:,;)\\s]", 2)[0];
            return cls + "#" + name;
        }
        return cls;
    }

    private static String key(String a, String b) {
        return a.compareTo(b) <= 0 ? a + '\0' + b : b + '\0' + a;
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

    /** The reached points two or more threads crossed in one recorded run. */
    List<String> multiThread() {
        List<String> r = new ArrayList<>();
        for (String p : reached()) {
            if (threads.getOrDefault(p, Set.of()).size() >= 2) {
                r.add(p);
            }
        }
        return r;
    }

    /**
     * The reached points where threads meet: crossed by two or more threads, or close in time to
     * another thread's crossing of some point. Empty when no run was recorded or one thread does all.
     */
    List<String> contended() {
        Set<String> c = new LinkedHashSet<>(multiThread());
        for (String k : close.keySet()) {
            String[] ab = k.split("\0", 2);
            c.add(ab[0]);
            c.add(ab[1]);
        }
        List<String> r = new ArrayList<>();
        for (String p : reached()) {
            if (c.contains(p)) {
                r.add(p);
            }
        }
        return r;
    }

    /**
     * How much {@code a} and {@code b} look like a pair on shared state, for ordering the pairs to
     * try: 3 when different threads crossed them close in time (or one point two threads cross, with
     * itself), 2 on the same field or class with one of them contended, 1 with one contended, 0 else.
     */
    int pairRank(String a, String b, Set<String> contended) {
        if (close.containsKey(key(a, b)) || a.equals(b) && threads.getOrDefault(a, Set.of()).size() >= 2) {
            return 3;
        }
        boolean either = contended.contains(a) || contended.contains(b);
        String sa = state.get(a);
        if (either && sa != null && sa.equals(state.get(b))) {
            return 2;
        }
        return either ? 1 : 0;
    }

    /** The pairs different threads crossed close in time, most often first: for reports. */
    List<String> closePairs() {
        List<Map.Entry<String, Integer>> es = new ArrayList<>(close.entrySet());
        es.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        List<String> r = new ArrayList<>();
        for (Map.Entry<String, Integer> e : es) {
            r.add(e.getKey().replace('\0', '+'));
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

    /** "watching 312 points: 40 reached, 6 crossed by 2+ threads": what the progress line says. */
    String watching() {
        return "watching " + allowed.size() + " points: " + crossings.size() + " reached, "
                + multiThread().size() + " crossed by 2+ threads";
    }

    /**
     * The reached points whose every carrying method returns a value that {@code return(1)} can make,
     * automatic points left out: a value forced out of a method nobody marked as one that fails so is
     * a lie about the code (a set that says it is empty, a parser that says yes), which makes symptoms
     * the code cannot have; at those points the explorer injects exceptions, which any method can throw.
     */
    List<String> canFail() {
        Set<String> automatic = new HashSet<>(RuntimeDeclarations.automaticPoints());
        List<String> r = new ArrayList<>();
        for (String p : reached()) {
            if (automatic.contains(p)) {
                continue;
            }
            List<String> types = returnTypes.getOrDefault(p, List.of());
            if (!types.isEmpty() && types.stream().noneMatch(t -> t.equals("void")
                    || t.equals("java.lang.Void") || ReturnValues.problem(t, 1) != null)) {
                r.add(p);
            }
        }
        return r;
    }
}
