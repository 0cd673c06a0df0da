package dev.jfail.kernel.runner;

import dev.jfail.FailPoints;
import dev.jfail.core.FailPointRegistry;
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
        return FailPoints.listOf(settings);
    }

    /** Arms these settings: {@link #arm(String)}. */
    void arm() {
        arm(joined());
    }

    /**
     * Arms {@code list} ({@code name=setting;...}), all or nothing, a malformed one refused. Not through
     * the facade, whose typo warning ("no loaded code declares ...") would fire at every batch: a
     * race's classes load during its first run, after its points are armed, and the runner checks
     * the names itself against the races' points (RunCommand) or takes them from a recording.
     */
    static void arm(String list) {
        FailPointRegistry.global().setAll(list);
    }

    /** Arms one point, as {@link #arm(String)} does. */
    static void arm(String name, String setting) {
        FailPointRegistry.global().set(name, setting);
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
