package dev.jfail.spock

import java.lang.annotation.Documented
import java.lang.annotation.ElementType
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target
import org.junit.jupiter.api.extension.ExtendWith

/**
 * Replays a failed feature in its recorded order: the replay file its failure named
 * ({@code target/jfail-reports/<spec>-<feature>.replay}) gives the settings, the seed and the order
 * in which the threads crossed the armed points, with each crossing's decision; while the feature
 * runs, a thread goes past its next point only in that crossing's turn. A turn that never comes
 * ends the wait (after 2 s) and is reported on stderr; never a hang. Threads are matched by name.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(SpockAnnotationsUnderJUnit) // fails a JUnit 5 test that carries it by mistake
@Target([ElementType.METHOD])
@interface Replay {
    /** The replay file, e.g. {@code target/jfail-reports/CollapseSpec-the_fault_loses_the_page.replay}. */
    String value()
}
