package dev.jfail.tooling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The failpoints declared from configuration: explicit ones by the internal name of the class that
 * carries them, the {@code auto@} declarations, and the automatic points those have placed so far
 * (each as its explicit declaration).
 */
public final class PointCatalog {

    private final Map<String, List<PointDeclaration>> byClass = new ConcurrentHashMap<>();
    /** Copied on write: read by the transformer for every class the JVM loads. */
    private volatile AutoDeclaration[] autos = new AutoDeclaration[0];
    private final Map<String, List<PointDeclaration>> placed = new ConcurrentHashMap<>();
    /** The automatic points by name, for {@link #declarationsOf}. */
    private final Map<String, List<PointDeclaration>> placedByName = new ConcurrentHashMap<>();

    /** Adds {@code specs}; returns the internal names of the classes that gained an explicit point. */
    public synchronized List<String> add(Collection<? extends Declaration> specs) {
        List<String> classes = new ArrayList<>();
        for (Declaration declaration : specs) {
            if (declaration instanceof AutoDeclaration auto) {
                addAuto(auto);
                continue;
            }
            PointDeclaration spec = (PointDeclaration) declaration;
            List<PointDeclaration> known = byClass.getOrDefault(spec.internalClassName(), List.of());
            if (known.contains(spec)) {
                continue;
            }
            List<PointDeclaration> grown = new ArrayList<>(known);
            grown.add(spec);
            byClass.put(spec.internalClassName(), List.copyOf(grown));
            if (!classes.contains(spec.internalClassName())) {
                classes.add(spec.internalClassName());
            }
        }
        return classes;
    }

    private void addAuto(AutoDeclaration auto) {
        for (AutoDeclaration known : autos) {
            if (known.equals(auto)) {
                return;
            }
        }
        AutoDeclaration[] grown = java.util.Arrays.copyOf(autos, autos.length + 1);
        grown[autos.length] = auto;
        autos = grown;
    }

    /** The declarations on the class {@code internalName}; empty for almost every class, cheaply. */
    List<PointDeclaration> forClass(String internalName) {
        return byClass.isEmpty() ? List.of() : byClass.getOrDefault(internalName, List.of());
    }

    /** Whether an {@code auto@} declaration covers the class {@code internalName}; false at once when there is none. */
    boolean automatic(String internalName) {
        for (AutoDeclaration auto : autos) { // no iterator: this runs for every class the JVM loads
            if (auto.covers(internalName)) {
                return true;
            }
        }
        return false;
    }

    /** Records the automatic points now placed in the class {@code internalName} (replacing earlier ones). */
    synchronized void placed(String internalName, List<PointDeclaration> points) {
        List<PointDeclaration> before = placed.put(internalName, List.copyOf(points));
        for (PointDeclaration gone : before == null ? List.<PointDeclaration>of() : before) {
            placedByName.computeIfPresent(gone.name(), (name, list) -> {
                List<PointDeclaration> left = new ArrayList<>(list);
                left.remove(gone);
                return left.isEmpty() ? null : List.copyOf(left);
            });
        }
        for (PointDeclaration point : points) {
            placedByName.merge(point.name(), List.of(point), (a, b) -> {
                List<PointDeclaration> both = new ArrayList<>(a);
                both.addAll(b);
                return List.copyOf(both);
            });
        }
    }

    /** Every explicit declaration and every {@code auto@} one, for listing (not the points they placed). */
    public List<Declaration> all() {
        List<Declaration> all = new ArrayList<>();
        byClass.values().forEach(all::addAll);
        all.addAll(List.of(autos));
        return all;
    }

    /** Every automatic point placed so far, as its explicit declaration. */
    public List<PointDeclaration> automaticPoints() {
        List<PointDeclaration> all = new ArrayList<>();
        placed.values().forEach(all::addAll);
        return all;
    }

    /**
     * The explicit declarations of the point {@code name}: those made from configuration and those an
     * {@code auto@} placed, one per site; empty for a point only {@code @FailPoint} declares.
     */
    public List<PointDeclaration> declarationsOf(String name) {
        List<PointDeclaration> found = new ArrayList<>();
        for (List<PointDeclaration> list : byClass.values()) {
            for (PointDeclaration d : list) {
                if (d.name().equals(name)) {
                    found.add(d);
                }
            }
        }
        for (PointDeclaration d : placedByName.getOrDefault(name, List.of())) {
            if (!found.contains(d)) {
                found.add(d);
            }
        }
        return found;
    }
}
