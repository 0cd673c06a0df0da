package dev.jfail.spock

import dev.jfail.core.TestRuns
import groovy.transform.CompileStatic

/**
 * What the jfail annotations ask of one feature: the settings (the spec's first, then the
 * feature's, so a feature overrides its spec), the seed, and whether the points must fire.
 */
@CompileStatic
final class FailPointPlan {

    /** {@code name=setting} entries, in the order they are to be applied. */
    final List<String> entries = []

    /** The seed the feature runs with, or null for the run's own. */
    Long seed

    /** The replay file whose recorded order the feature replays ({@link Replay}), or null. */
    String replay

    /** Whether the feature passes even if its points never fire. */
    boolean firingOptional

    /** Whether some jfail annotation asked for anything (a bare {@code @WithFailPoints} counts). */
    boolean annotated

    /** Adds what one jfail annotation says; other annotations are not ours. */
    void add(Object annotation) {
        switch (annotation) {
            case WithFailPoints:
                entries.addAll(TestRuns.entries(((WithFailPoints) annotation).value()))
                annotated = true
                break
            case WithFailPointsList:
                ((WithFailPointsList) annotation).value().each { WithFailPoints one -> add(one) }
                break
            case Seed:
                seed = ((Seed) annotation).value()
                annotated = true
                break
            case FiringOptional:
                firingOptional = true
                annotated = true
                break
            case Replay:
                replay = ((Replay) annotation).value()
                annotated = true
                break
        }
    }

    /** The spec's plan followed by the feature's. */
    FailPointPlan then(FailPointPlan feature) {
        FailPointPlan merged = new FailPointPlan()
        merged.entries.addAll(entries)
        merged.entries.addAll(feature.entries)
        merged.seed = feature.seed != null ? feature.seed : seed
        merged.firingOptional = firingOptional || feature.firingOptional
        merged.replay = feature.replay != null ? feature.replay : replay
        merged.annotated = annotated || feature.annotated
        merged
    }

    boolean isEmpty() {
        !annotated
    }

    /** The settings in the registry's {@code name=setting;...} form. */
    String getSettings() {
        entries.join(';')
    }

    /** The names of the points the plan sets. */
    List<String> getNames() {
        TestRuns.names(entries)
    }
}
