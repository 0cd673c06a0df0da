package dev.jfail.spock

import org.spockframework.runtime.extension.ExtensionAnnotation
import org.junit.jupiter.api.extension.ExtendWith

import java.lang.annotation.Documented
import java.lang.annotation.ElementType
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target

/**
 * Runs the feature again and again under failpoint settings jfail's explorer picks (random delays,
 * injected failures, K-th crossings, held orderings, at every point the feature reaches) until it
 * fails; then shrinks the setting and fails with the smallest one, how often it makes the feature
 * fail, its seed, and the annotations that keep it as a regression test. A feature that never fails
 * within the budget passes. The feature's blocks are the workload and its conditions the symptom;
 * {@code setup()} and {@code cleanup()} run once, around the whole exploration.
 *
 * <pre>
 * &#64;Explore(budget = '30s')
 * def "two withdrawals never overdraw"() {
 *     given: def account = new Account(100)
 *     when:  def first = background('first') { account.withdraw(100) }
 *            account.withdraw(100); first.await()
 *     then:  account.balance() >= 0
 * }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SpockAnnotationsUnderJUnit) // fails a JUnit 5 test that carries it by mistake
@Target([ElementType.METHOD])
@ExtensionAnnotation(ExploreExtension)
@interface Explore {

    /** The search's time: {@code 500ms}, {@code 30s}, {@code 2m}. */
    String budget() default '30s'

    /** The search's most runs. */
    int runs() default 10_000

    /** The only points to use (default: every point the feature reaches). */
    String[] points() default []

    /** The base seed (default 0: a fresh one, printed with what is found). */
    long seed() default 0L
}
