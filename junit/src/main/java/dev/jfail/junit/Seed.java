package dev.jfail.junit;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The seed of every probability roll for a test (or every test of a class), to replay the
 * decisions of a run that failed: the failure prints the seed to put here. Without it, the seed
 * is the run's ({@code -Djfail.seed=N}, else chosen at start); the run's seed is back after the test.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(JFailExtension.class)
@ResourceLock(value = Resources.GLOBAL, mode = ResourceAccessMode.READ_WRITE) // what @Isolated does, for a method too
public @interface Seed {
    /**
     * The seed a failure printed ({@code @Seed(42L)}).
     *
     * @return the seed every thread's rolls start from in this test
     */
    long value();
}
