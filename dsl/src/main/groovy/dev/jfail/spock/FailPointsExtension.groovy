package dev.jfail.spock

import groovy.transform.CompileStatic
import org.spockframework.runtime.extension.IAnnotationDrivenExtension
import org.spockframework.runtime.model.FeatureInfo
import org.spockframework.runtime.model.SpecInfo

import java.lang.annotation.Annotation

/**
 * Turns {@link WithFailPoints}, {@link Seed} and {@link FiringOptional} into
 * interceptors: one instance per spec collects the annotations of the spec (and its super specs)
 * and of each feature, then gives every feature that has a plan its two interceptors.
 */
@CompileStatic
class FailPointsExtension implements IAnnotationDrivenExtension<Annotation> {

    private final FailPointPlan specPlan = new FailPointPlan()
    private final Map<FeatureInfo, FailPointPlan> featurePlans = new IdentityHashMap<>()

    @Override
    void visitSpecAnnotations(List<Annotation> annotations, SpecInfo spec) {
        annotations.each { Annotation annotation -> specPlan.add(annotation) }
    }

    @Override
    void visitFeatureAnnotations(List<Annotation> annotations, FeatureInfo feature) {
        FailPointPlan plan = featurePlans.computeIfAbsent(feature) { new FailPointPlan() }
        annotations.each { Annotation annotation -> plan.add(annotation) }
    }

    @Override
    void visitSpec(SpecInfo spec) {
        spec.allFeatures.each { FeatureInfo feature ->
            FailPointPlan plan = specPlan.then(featurePlans.getOrDefault(feature, new FailPointPlan()))
            if (!plan.empty) {
                feature.addIterationInterceptor(new ApplyFailPointPlan(plan))
                feature.featureMethod.addInterceptor(new RequireFailPointsFired(plan))
            }
        }
    }
}
