package dev.jfail.junit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the test again and again under failpoint settings jfail's explorer picks (random delays,
 * injected failures, K-th crossings, held orderings, at every point the test reaches) until it
 * fails; then shrinks the setting and fails with the smallest one, how often it makes the test fail,
 * its seed, and the annotations that keep it as a regression test. A test that never fails within
 * the budget passes. The test's body is the workload and its assertions the symptom: it must set up
 * what it needs itself ({@code @BeforeEach} runs once, around the whole exploration). It is a
 * {@code @Test} itself.
 *
 * <pre>{@code
 * @Explore(budget = "30s")
 * void two_withdrawals_never_overdraw() throws Exception {
 *     Account account = new Account(100);
 *     var first = CompletableFuture.runAsync(() -> account.withdraw(100));
 *     account.withdraw(100);
 *     first.join();
 *     assertTrue(account.balance() >= 0);
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Test
@ExtendWith(JFailExtension.class)
@ResourceLock(value = Resources.GLOBAL, mode = ResourceAccessMode.READ_WRITE) // what @Isolated does, for a method too
public @interface Explore {

    /**
     * The search's time: {@code 500ms}, {@code 30s}, {@code 2m}.
     *
     * @return the budget, more than 0 and at most 1 h; the search also ends at {@link #runs()}
     */
    String budget() default "30s";

    /**
     * The search's most runs.
     *
     * @return at least 1; the search also ends when the {@link #budget()} is spent
     */
    int runs() default 10_000;

    /**
     * The only points to use (default: every point the test reaches).
     *
     * @return failpoint names, as declared (e.g. {@code unlock_and_deallocate_relock})
     */
    String[] points() default {};

    /**
     * The base seed (default 0: a fresh one, printed with what is found).
     *
     * @return the seed a failure printed, to search again the same way
     */
    long seed() default 0;
}
