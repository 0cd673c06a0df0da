package dev.jfail.spock

import dev.jfail.core.TestRuns
import groovy.transform.CompileStatic
import org.spockframework.runtime.model.FeatureInfo
import org.spockframework.runtime.model.SpecInfo

import java.lang.annotation.Annotation

/**
 * What the jfail annotations ask of one feature: the settings (the spec's first, then the
 * feature's, so a feature overrides its spec), the seed, and whether the points must fire.
 */
@CompileStatic
final class FailPointPlan {

    /** The {@code name=setting;...} lists of the annotations, in the order they are to be applied. */
    final List<String> settings = []

    /** The {@code points} declaration lists of the annotations, declared before the settings. */
    final List<String> points = []

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
                settings.add(((WithFailPoints) annotation).value())
                points.add(((WithFailPoints) annotation).points())
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

    /**
     * The plan of {@code feature}: the annotations of its spec and super specs (the topmost first),
     * then the feature's own, so a feature overrides its spec.
     */
    static FailPointPlan of(SpecInfo spec, FeatureInfo feature) {
        FailPointPlan plan = new FailPointPlan()
        spec.specsTopToBottom.each { SpecInfo level -> plan.addAll(level.reflection.declaredAnnotations) }
        plan.addAll(feature.featureMethod.reflection?.declaredAnnotations ?: new Annotation[0])
        plan
    }

    private void addAll(Annotation[] annotations) {
        annotations.each { Annotation annotation -> add(annotation) }
    }

    /** The spec's plan followed by the feature's. */
    FailPointPlan then(FailPointPlan feature) {
        FailPointPlan merged = new FailPointPlan()
        merged.settings.addAll(settings)
        merged.settings.addAll(feature.settings)
        merged.points.addAll(points)
        merged.points.addAll(feature.points)
        merged.seed = feature.seed != null ? feature.seed : seed
        merged.firingOptional = firingOptional || feature.firingOptional
        merged.replay = feature.replay != null ? feature.replay : replay
        merged.annotated = annotated || feature.annotated
        merged
    }

    boolean isEmpty() {
        !annotated
    }

    /** The names of the points the plan sets. */
    List<String> getNames() {
        TestRuns.names(settings)
    }
}
