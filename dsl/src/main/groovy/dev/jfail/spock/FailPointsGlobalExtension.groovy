package dev.jfail.spock

import dev.jfail.core.TestRuns
import dev.jfail.dsl.FailPointDsl
import groovy.transform.CompileStatic
import org.spockframework.runtime.extension.IGlobalExtension
import org.spockframework.runtime.model.FeatureInfo
import org.spockframework.runtime.model.SpecInfo
import org.spockframework.runtime.model.parallel.ExclusiveResource
import org.spockframework.runtime.model.parallel.ResourceAccessMode

import java.lang.annotation.Annotation
import java.lang.reflect.AnnotatedElement

/**
 * Registered through {@code META-INF/services}, so it applies to every spec on the classpath:
 * after every iteration of every feature, all failpoints are reset and paused threads released,
 * so no feature leaks settings into the next. Specs that use jfail (its annotations or the
 * {@link FailPointDsl}) also get, before each iteration, their rolls restarted from the seed —
 * so one feature replays alone exactly as it ran among the others — and on failure the seed
 * with how to replay it; they also take the failpoints' lock, as failpoints belong to the JVM, and
 * find the agent loaded before they run ({@link EnsureAgent}).
 */
@CompileStatic
class FailPointsGlobalExtension implements IGlobalExtension {

    /** The lock that specs using failpoints hold when Spock runs specs in parallel. */
    static final String FAILPOINTS_RESOURCE = TestRuns.LOCK

    @Override
    void visitSpec(SpecInfo spec) {
        boolean usesJfail = usesJfail(spec)
        spec.allFeatures.each { FeatureInfo feature ->
            feature.addIterationInterceptor(new ResetFailPointsAround(usesJfail))
        }
        if (usesJfail) {
            spec.addInterceptor(new EnsureAgent())
            spec.addListener(new PrintSeedOnFailure())
            spec.addExclusiveResource(new ExclusiveResource(FAILPOINTS_RESOURCE, ResourceAccessMode.READ_WRITE))
        }
    }

    private static boolean usesJfail(SpecInfo spec) {
        Class<?> specClass = spec.reflection
        if (FailPointDsl.isAssignableFrom(specClass)) {
            return true
        }
        for (Class<?> c = specClass; c != null && c != Object; c = c.superclass) {
            if (carriesJfailAnnotation(c)) {
                return true
            }
        }
        spec.allFeatures.any { FeatureInfo feature -> carriesJfailAnnotation(feature.featureMethod.reflection) }
    }

    private static boolean carriesJfailAnnotation(AnnotatedElement element) {
        element != null && element.annotations.any { Annotation a -> a.annotationType().package == WithFailPoints.package }
    }
}
