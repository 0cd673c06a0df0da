package dev.jfail.kernel.runner;

import dev.jfail.kernel.race.Race;

import java.util.Map;

/**
 * The failpoint settings a batch runs with: a race's preset settings (cem's, in D4103, or the
 * project's own), none, or the user's own ({@code --failpoints 'name=setting;...'}).
 *
 * @param label    what the summary shows: "preset", "none" or "custom"
 * @param settings the failpoints to their settings, in order
 * @param whose    who chose them: the preset's source, "yours", or "" for none
 */
record Failpoints(String label, Map<String, String> settings, String whose) {
    static final String PRESET = "preset";
    static final String NONE = "none";
    static final String CUSTOM = "custom";

    static Failpoints preset(Race race) {
        return new Failpoints(PRESET, race.settings().failpoints(), race.settings().source());
    }

    static Failpoints none() {
        return new Failpoints(NONE, Map.of(), "");
    }

    static Failpoints custom(Map<String, String> settings) {
        return new Failpoints(CUSTOM, settings, "yours");
    }

    /** {@code name=setting;...}, the form the agent and jfail's facade take. */
    String joined() {
        StringBuilder sb = new StringBuilder();
        settings.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ";").append(k).append('=').append(v));
        return sb.toString();
    }

    /** "the preset settings (cem's, in D4103)", "no failpoints", "your settings". */
    String describe() {
        return switch (label) {
            case NONE -> "without failpoints";
            case PRESET -> "with the preset settings (" + whose + ")";
            default -> "with your settings";
        };
    }
}
