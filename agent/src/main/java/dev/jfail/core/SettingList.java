package dev.jfail.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code name=setting;name=setting} list, the one form in which several failpoints are set at
 * once: by the agent's arguments, {@code FAILPOINTS}, the facade's {@code setAll}, the CLI, the
 * extensions' annotations and the races runner. Names may carry FreeBSD's {@code debug.fail_point.}
 * prefix; whitespace around entries is trimmed and empty entries are skipped. The settings are kept
 * as text: checking them is the registry's job.
 */
public final class SettingList {

    private SettingList() {
    }

    /**
     * The entries of {@code list} in order, names canonical ({@link FailPointRegistry#canonicalName}),
     * a later entry for the same name replacing an earlier one. An entry without {@code =} or with a
     * bad name throws an {@link IllegalArgumentException} naming it.
     */
    public static Map<String, String> parse(String list) {
        if (list == null) {
            throw new IllegalArgumentException("no settings: expected name=setting;name=setting");
        }
        Map<String, String> entries = new LinkedHashMap<>();
        for (String entry : list.split(";", -1)) {
            entry = entry.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("entry '" + entry + "' has no '='; expected name=setting");
            }
            String name = FailPointRegistry.canonicalName(entry.substring(0, eq).strip());
            entries.remove(name); // the later entry wins and takes the later place
            entries.put(name, entry.substring(eq + 1).strip());
        }
        return Collections.unmodifiableMap(entries);
    }

    /** The names of {@code list}, in order: {@link #parse} without the settings. */
    public static List<String> names(String list) {
        return new ArrayList<>(parse(list).keySet());
    }

    /** {@code settings} in the list form, names canonical, in the map's order. */
    public static String join(Map<String, ?> settings) {
        StringBuilder sb = new StringBuilder();
        settings.forEach((name, setting) -> {
            if (sb.length() > 0) {
                sb.append(';');
            }
            sb.append(FailPointRegistry.canonicalName(name)).append('=').append(String.valueOf(setting).strip());
        });
        return sb.toString();
    }

    /** Several lists as one, in order (a later entry for a name wins, as in {@link #parse}). */
    public static String concat(List<String> lists) {
        Map<String, String> all = new LinkedHashMap<>();
        for (String list : lists) {
            parse(list).forEach((name, setting) -> {
                all.remove(name);
                all.put(name, setting);
            });
        }
        return join(all);
    }
}
