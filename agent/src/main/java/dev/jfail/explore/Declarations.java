package dev.jfail.explore;

import dev.jfail.core.RuntimeDeclarations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The explicit declarations of the points a setting uses, for a regression test that must run
 * without what declared them during the exploration ({@code auto@...}, a list in a pom): each
 * declared point's {@code NAME@CLASS#METHOD(DESC):POS}, one per site, as the agent holds them. An
 * annotated point ({@code @FailPoint}) needs none and has none.
 */
final class Declarations {

    private Declarations() {
    }

    /** Point to its explicit declarations (comma-separated), for the points of {@code c} (settings and orders) that were declared. */
    static Map<String, String> of(Candidate c) {
        return of(c, RuntimeDeclarations::declarationsOf);
    }

    static Map<String, String> of(Candidate c, Function<String, List<String>> declarationsOf) {
        List<String> points = new ArrayList<>(c.settings().keySet());
        for (Order o : c.orders()) {
            points.add(o.hold());
            points.add(o.until());
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : points) {
            List<String> ds = declarationsOf.apply(p);
            if (!ds.isEmpty() && !m.containsKey(p)) {
                m.put(p, String.join(",", ds));
            }
        }
        return m;
    }
}
