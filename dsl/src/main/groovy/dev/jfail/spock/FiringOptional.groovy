package dev.jfail.spock

import java.lang.annotation.Documented
import java.lang.annotation.ElementType
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target

/**
 * The feature (or every feature of the spec) passes even if its configured failpoints never
 * fire. Say why: a failpoint that need not fire is unusual in a race spec.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target([ElementType.TYPE, ElementType.METHOD])
@interface FiringOptional {

    /** Why firing is not required here. */
    String value() default ''
}
