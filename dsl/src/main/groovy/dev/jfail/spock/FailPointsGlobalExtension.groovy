package dev.jfail.spock

import dev.jfail.spi.TestRuns
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
 * Registered through {@code META-INF/services}, so it applies to every spec on the classpath, and
 * the one place the Spock side of jfail is wired. Failpoints belong to the JVM, so every spec takes
 * their lock: a spec that uses jfail (its annotations, {@link WithFailPoints} and friends, or the
 * {@link FailPointDsl}) takes it exclusively; any other spec shares it with the others like it, so
 * unrelated specs still run in parallel with each other but never beside a spec using jfail. After
 * every iteration of every feature all failpoints are reset and paused threads released, so no
 * feature leaks settings into the next (not even one that used the facade unannounced). Specs using
 * jfail also get, before each iteration, their rolls restarted from the seed (so one feature
 * replays alone exactly as it ran among the others) and their annotations' settings; a check that
 * those points fired; on failure the seed with how to replay it; and the agent loaded before they
 * run ({@link EnsureAgent}).
 */
@CompileStatic
class FailPointsGlobalExtension implements IGlobalExtension {

    /** The lock on the JVM's failpoints, held by every spec when Spock runs specs in parallel. */
    static final String FAILPOINTS_RESOURCE = TestRuns.LOCK

    @Override
    void visitSpec(SpecInfo spec) {
        boolean usesJfail = usesJfail(spec)
        spec.addExclusiveResource(new ExclusiveResource(FAILPOINTS_RESOURCE,
                usesJfail ? ResourceAccessMode.READ_WRITE : ResourceAccessMode.READ))
        spec.allFeatures.each { FeatureInfo feature ->
            FailPointPlan plan = usesJfail ? FailPointPlan.of(spec, feature) : new FailPointPlan()
            feature.addIterationInterceptor(new FailPointsAroundIteration(plan, usesJfail))
            if (!plan.empty) {
                feature.featureMethod.addInterceptor(new RequireFailPointsFired(plan))
            }
        }
        if (usesJfail) {
            spec.addInterceptor(new EnsureAgent())
            spec.addListener(new PrintSeedOnFailure())
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
