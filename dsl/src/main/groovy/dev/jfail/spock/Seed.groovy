package dev.jfail.spock

import java.lang.annotation.Documented
import java.lang.annotation.ElementType
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target
import org.junit.jupiter.api.extension.ExtendWith

/**
 * The seed of every probability roll for a feature (or every feature of a spec), to replay the
 * decisions of a run that failed: the failure report prints the seed to put here. Without it,
 * the seed is the run's ({@code -Djfail.seed=N}, else chosen at start).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SpockAnnotationsUnderJUnit) // fails a JUnit 5 test that carries it by mistake
@Target([ElementType.TYPE, ElementType.METHOD])
@interface Seed {
    long value()
}
