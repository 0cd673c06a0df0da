package dev.jfail.tooling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The failpoints declared from configuration, by the internal name of the class that carries them. */
public final class PointCatalog {

    private final Map<String, List<PointDeclaration>> byClass = new ConcurrentHashMap<>();

    /** Adds {@code specs}; returns the internal names of the classes that gained a point. */
    public synchronized List<String> add(Collection<PointDeclaration> specs) {
        List<String> classes = new ArrayList<>();
        for (PointDeclaration spec : specs) {
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

    /** The declarations on the class {@code internalName}; empty for almost every class, cheaply. */
    List<PointDeclaration> forClass(String internalName) {
        return byClass.isEmpty() ? List.of() : byClass.getOrDefault(internalName, List.of());
    }

    /** Every declaration, for listing. */
    public List<PointDeclaration> all() {
        List<PointDeclaration> all = new ArrayList<>();
        byClass.values().forEach(all::addAll);
        return all;
    }
}
