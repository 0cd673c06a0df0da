package dev.jfail.explore;

import dev.jfail.core.RuntimeDeclarations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explicit declarations of the points a setting uses, for a regression test that must run
 * without what declared them during the exploration ({@code auto@...}, a list in a pom): each
 * declared point's {@code NAME@CLASS#METHOD(DESC):POS} as the agent holds it. An annotated point
 * ({@code @FailPoint}) needs none and has none.
 */
final class Declarations {

    private Declarations() {
    }

    /** Point to its explicit declaration, for the points of {@code c} (settings and orders) that were declared. */
    static Map<String, String> of(Candidate c) {
        return of(c, RuntimeDeclarations.declarations());
    }

    static Map<String, String> of(Candidate c, List<String> declarations) {
        List<String> points = new ArrayList<>(c.settings().keySet());
        for (Order o : c.orders()) {
            points.add(o.hold());
            points.add(o.until());
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : points) {
            for (String d : declarations) {
                if (d.startsWith(p + "@") && !m.containsKey(p)) {
                    m.put(p, d);
                }
            }
        }
        return m;
    }
}
