package dev.jfail.explore;

import dev.jfail.core.SettingList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One setting the explorer tries: failpoint settings in the failpoint language (what
 * {@code FAILPOINTS} carries) and orderings that need a hold (see {@link Order}).
 *
 * @param strategy which strategy made it ("delays", "failures", "counts", "orders", "shrunk", ...)
 * @param settings point to setting, in order
 * @param orders   holds carried out while the workload runs
 */
public record Candidate(String strategy, Map<String, String> settings, List<Order> orders) {

    public Candidate {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        orders = List.copyOf(orders);
    }

    /** No failpoints at all. */
    public static Candidate none() {
        return new Candidate("none", Map.of(), List.of());
    }

    /** The settings only, in the {@code name=setting;...} form of {@code FAILPOINTS} and {@code @WithFailPoints}. */
    public String failpoints() {
        return SettingList.join(settings);
    }

    /** Whether it needs holds (an ordering a settings string cannot say). */
    public boolean needsHolds() {
        return !orders.isEmpty();
    }

    /** The points whose setting throws ({@code panic}): an exception of theirs is the explorer's own doing. */
    public java.util.Set<String> panicking() {
        java.util.Set<String> p = new java.util.HashSet<>();
        settings.forEach((point, setting) -> {
            if (setting.contains("panic")) {
                p.add(point);
            }
        });
        return p;
    }

    /** Points set plus orders: what the shrinker drops first. */
    public int size() {
        return settings.size() + orders.size();
    }

    /** Pieces a reader has to take in: each setting's pieces, three per order. */
    public int complexity() {
        int n = 0;
        for (String setting : settings.values()) {
            n += Terms.pieces(setting);
        }
        return n + 3 * orders.size();
    }

    /**
     * Whether this is smaller than {@code other} for the shrinker: fewer pieces, or as many but
     * shorter sleeps and delays, a lower K or count, or a count where the other has a probability
     * (a count does the same thing every run).
     */
    boolean simplerThan(Candidate other) {
        return complexity() != other.complexity() ? complexity() < other.complexity() : magnitude() < other.magnitude();
    }

    private long magnitude() {
        long m = 0;
        for (String setting : settings.values()) {
            Terms.Shape s = Terms.shape(setting);
            if (s == null) {
                continue;
            }
            m += (s.percent() != null ? 100_000 : 0) + 10L * (s.skip() + s.count());
            if (s.argument() != null) {
                m += s.action().equals("delay") ? Math.abs(s.argument()) / 10 : Math.abs(s.argument());
            }
        }
        for (Order o : orders) {
            m += o.maxWaitMillis() + 10L * o.crossing();
        }
        return m;
    }

    Candidate withSetting(String point, String setting) {
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.put(point, setting);
        return new Candidate("shrunk", s, orders);
    }

    Candidate withoutSetting(String point) {
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.remove(point);
        return new Candidate("shrunk", s, orders);
    }

    Candidate withoutSettings(java.util.Collection<String> points) {
        Map<String, String> s = new LinkedHashMap<>(settings);
        s.keySet().removeAll(points);
        return new Candidate("shrunk", s, orders);
    }

    Candidate withoutOrder(int i) {
        List<Order> o = new ArrayList<>(orders);
        o.remove(i);
        return new Candidate("shrunk", settings, o);
    }

    Candidate withOrder(int i, Order order) {
        List<Order> o = new ArrayList<>(orders);
        o.set(i, order);
        return new Candidate("shrunk", settings, o);
    }

    /** {@code a=50%sleep(10);b=return(1)}, then {@code + hold A until B}, or "no failpoints". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(failpoints());
        for (Order o : orders) {
            sb.append(sb.length() > 0 ? " + " : "").append(o);
        }
        return sb.length() == 0 ? "no failpoints" : sb.toString();
    }
}
