package dev.jfail.kernel.race;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every race of the model, in the order of RACES.md. Races are listed by class name so that each
 * can be added on its own branch: a class not (yet) present is left out.
 */
public final class Races {
    private static final List<String> CLASSES = List.of(
            "dev.jfail.kernel.race.CollapseRace",
            "dev.jfail.kernel.race.SwapoffRace",
            "dev.jfail.kernel.race.UvnRace",
            "dev.jfail.kernel.race.MdBitmapRace",
            "dev.jfail.kernel.race.SendfileRace");

    private static volatile List<Race> all;

    private Races() {
    }

    public static List<Race> all() {
        List<Race> races = all;
        if (races == null) {
            races = load();
            all = races;
        }
        return races;
    }

    /** The race whose id is {@code id}; an unknown id is an IllegalArgumentException naming the known ones. */
    public static Race byId(String id) {
        String want = id.toLowerCase(Locale.ROOT);
        return all().stream().filter(r -> r.id().equals(want)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown race '" + id + "'; races: "
                        + String.join(", ", all().stream().map(Race::id).toList())));
    }

    private static List<Race> load() {
        List<Race> races = new ArrayList<>();
        for (String name : CLASSES) {
            Class<?> c;
            try {
                c = Class.forName(name);
            } catch (ClassNotFoundException absent) {
                continue;
            }
            try {
                races.add((Race) c.getDeclaredConstructor().newInstance());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create race " + name + ": " + e, e);
            }
        }
        return List.copyOf(races);
    }
}
