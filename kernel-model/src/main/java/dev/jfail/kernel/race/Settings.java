package dev.jfail.kernel.race;

import java.util.Map;

/**
 * The failpoint settings a race is played with unless told otherwise, and whose they are: a
 * setting that comes from the race's source document says which (only race 1 has one: cem's, in
 * D4103); every other is the project's own and says so wherever it is shown.
 *
 * @param failpoints the race's failpoints, in order, to their settings ({@code off}: a point for holds only)
 * @param source     who chose them, e.g. "cem's, in D4103", or {@link #PROJECTS_OWN}
 */
public record Settings(Map<String, String> failpoints, String source) {
    public static final String PROJECTS_OWN = "the project's own";

    public Settings {
        failpoints = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failpoints));
    }

    /** Settings taken from the race's source document, {@code source} naming it. */
    public static Settings fromSource(String source, Map<String, String> failpoints) {
        return new Settings(failpoints, source);
    }

    /** Settings the project chose: the source has none. */
    public static Settings projectsOwn(Map<String, String> failpoints) {
        return new Settings(failpoints, PROJECTS_OWN);
    }

    public boolean isProjectsOwn() {
        return PROJECTS_OWN.equals(source);
    }
}
