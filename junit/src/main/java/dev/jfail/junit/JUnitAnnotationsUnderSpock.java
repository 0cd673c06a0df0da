package dev.jfail.junit;

import dev.jfail.spi.TestRuns;
import org.spockframework.runtime.extension.IGlobalExtension;
import org.spockframework.runtime.model.FeatureInfo;
import org.spockframework.runtime.model.SpecInfo;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Spock global extension (found through {@code META-INF/services} when Spock runs; never loaded
 * otherwise): a spec or feature that carries this module's annotations by mistake (an IDE's
 * auto-import picks either) fails with one line naming the right import, instead of running
 * silently without its failpoints.
 */
public final class JUnitAnnotationsUnderSpock implements IGlobalExtension {

    /** Made by Spock, which finds it through {@code META-INF/services}; nothing else ever loads it. */
    public JUnitAnnotationsUnderSpock() {
    }

    @Override
    public void visitSpec(SpecInfo spec) {
        List<String> onSpec = new ArrayList<>();
        for (Class<?> c = spec.getReflection(); c != null && c != Object.class; c = c.getSuperclass()) {
            onSpec.addAll(junitAnnotations(c));
        }
        for (FeatureInfo feature : spec.getAllFeatures()) {
            List<String> found = new ArrayList<>(junitAnnotations(feature.getFeatureMethod().getReflection()));
            found.addAll(onSpec);
            if (!found.isEmpty()) {
                String line = TestRuns.wrongFramework(feature.getName(), found.stream().distinct().toList(), "Spock", "JUnit 5", "dev.jfail.spock");
                feature.addIterationInterceptor(invocation -> {
                    throw new WrongFramework(line);
                });
            }
        }
    }

    private static List<String> junitAnnotations(AnnotatedElement element) {
        if (element == null) {
            return List.of();
        }
        return Arrays.stream(element.getDeclaredAnnotations()).map(Annotation::annotationType)
                .filter(type -> type.getPackage() == WithFailPoints.class.getPackage())
                .map(Class::getName).toList();
    }

    /** The whole story is in the message; the stack would show only the extension. */
    static final class WrongFramework extends AssertionError {
        private static final long serialVersionUID = 1L;

        WrongFramework(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
