package dev.jfail.spock

import dev.jfail.spi.TestRuns
import groovy.transform.CompileStatic
import org.junit.jupiter.api.extension.BeforeEachCallback
import org.junit.jupiter.api.extension.ExtensionContext

import java.lang.annotation.Annotation
import java.lang.reflect.AnnotatedElement

/**
 * Spock's jfail annotations name this JUnit Jupiter extension (a meta-annotation Spock ignores), so a
 * JUnit 5 test that carries one of them by mistake (an IDE's auto-import picks either) fails with one
 * line naming the right import instead of running silently without its failpoints.
 */
@CompileStatic
final class SpockAnnotationsUnderJUnit implements BeforeEachCallback {

    @Override
    void beforeEach(ExtensionContext context) {
        List<String> found = []
        context.testMethod.ifPresent { AnnotatedElement m -> found.addAll(spockAnnotations(m)) }
        for (Class<?> c = context.testClass.orElse(null); c != null; c = c.enclosingClass) {
            found.addAll(spockAnnotations(c))
        }
        if (!found.empty) {
            throw new WrongFramework(TestRuns.wrongFramework(context.displayName, found.unique(), 'JUnit 5', 'Spock', 'dev.jfail.junit'))
        }
    }

    private static List<String> spockAnnotations(AnnotatedElement element) {
        element.annotations.findAll { Annotation a -> a.annotationType().package == WithFailPoints.package }
                .collect { Annotation a -> a.annotationType().name }
    }

    /** The whole story is in the message; the stack would show only the extension. */
    static final class WrongFramework extends AssertionError {
        WrongFramework(String message) {
            super((Object) message)
        }

        @Override
        synchronized Throwable fillInStackTrace() {
            this
        }
    }
}
