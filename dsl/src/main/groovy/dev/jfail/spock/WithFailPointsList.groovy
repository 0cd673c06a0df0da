package dev.jfail.spock

import java.lang.annotation.Documented
import java.lang.annotation.ElementType
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target
import org.junit.jupiter.api.extension.ExtendWith

/** The container of repeated {@link WithFailPoints} annotations; write the {@code @WithFailPoints} themselves. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SpockAnnotationsUnderJUnit) // fails a JUnit 5 test that carries it by mistake
@Target([ElementType.TYPE, ElementType.METHOD])
@interface WithFailPointsList {
    WithFailPoints[] value()
}
