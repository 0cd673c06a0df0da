package dev.jfail.core;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * "Did you mean": the known names closest to a name nobody declares. Every surface that warns about
 * a probable typo (the CLI, the facade, the extensions' "never fired" message) asks here, so they agree.
 */
public final class NameSuggestions {

    /** The names the facade has warned about in this JVM: a test that sets one in a loop warns once. */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** At most this many suggestions: more would bury the right one. */
    static final int MAX = 3;

    private NameSuggestions() {
    }

    /**
     * The names of {@code known} within a small edit distance of {@code name} (case-insensitive,
     * the {@code debug.fail_point.} prefix ignored), closest first, at most three; empty when none is
     * close. A known name that contains the typed one, or is contained in it, also counts as close.
     */
    public static List<String> closest(String name, Collection<String> known) {
        String typed = FailPointRegistry.canonicalName(name).toLowerCase(Locale.ROOT);
        int limit = Math.max(2, typed.length() / 3);
        return known.stream()
                .filter(k -> !k.equalsIgnoreCase(typed))
                .map(k -> new Scored(k, score(typed, k.toLowerCase(Locale.ROOT))))
                .filter(s -> s.distance <= limit)
                .sorted(Comparator.comparingInt(Scored::distance).thenComparing(Scored::name))
                .limit(MAX)
                .map(Scored::name)
                .toList();
    }

    /**
     * The warning for a point set that no loaded code declares: set all the same (its class may load
     * later), but more often a typo, so it names the closest of {@code declared}.
     */
    public static String undeclaredWarning(String name, Collection<String> declared) {
        List<String> close = closest(name, declared);
        return "jfail: warning: no loaded code declares " + FailPointRegistry.canonicalName(name)
                + " (set anyway: a class that declares it may load later)"
                + (close.isEmpty() ? "" : "; did you mean " + String.join(", ", close) + "?");
    }

    /**
     * Prints {@link #undeclaredWarning} on {@code err} for each of {@code names} that is armed but
     * declared by no loaded code, once per name in this JVM.
     */
    public static void warnOnceIfUndeclared(FailPointRegistry registry, Collection<String> names, PrintStream err) {
        for (String name : names) {
            String point = FailPointRegistry.canonicalName(name);
            if (!registry.status(point).declared() && !"off".equals(registry.get(point)) && WARNED.add(point)) {
                err.println(undeclaredWarning(point, registry.declaredNames()));
            }
        }
    }

    private record Scored(String name, int distance) {
    }

    private static int score(String typed, String candidate) {
        if (typed.length() >= 4 && (candidate.contains(typed) || typed.contains(candidate))) {
            return 1;
        }
        return levenshtein(typed, candidate);
    }

    /** Classic two-row edit distance (insert, delete, substitute: cost 1 each). */
    static int levenshtein(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
