package dev.jfail.kernel.race;

import java.util.List;
import java.util.Locale;

/** Every race of the model, in the order of docs/races.md. */
public final class Races {
    private static final List<Race> ALL = List.of(
            new CollapseRace(),
            new SwapoffRace(),
            new UvnRace(),
            new MdBitmapRace(),
            new SendfileRace());

    private Races() {
    }

    public static List<Race> all() {
        return ALL;
    }

    /** {@code k1, v1, k2, v2, ...} as a map in that order: a race's failpoint settings. */
    static java.util.Map<String, String> orderedMap(String... kv) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** The race whose id is {@code id}; an unknown id is an IllegalArgumentException naming the known ones. */
    public static Race byId(String id) {
        String want = id.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(r -> r.id().equals(want)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown race '" + id + "'; races: "
                        + String.join(", ", ALL.stream().map(Race::id).toList())));
    }
}
