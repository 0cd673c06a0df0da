package dev.jfail.spock

import java.lang.annotation.Documented
import java.lang.annotation.ElementType
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target
import org.junit.jupiter.api.extension.ExtendWith

/**
 * The feature (or every feature of the spec) passes even if its configured failpoints never
 * fire. Say why: a failpoint that need not fire is unusual in a race spec.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SpockAnnotationsUnderJUnit) // fails a JUnit 5 test that carries it by mistake
@Target([ElementType.TYPE, ElementType.METHOD])
@interface FiringOptional {

    /** Why firing is not required here. */
    String value() default ''
}
