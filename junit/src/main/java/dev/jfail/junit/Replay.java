package dev.jfail.junit;

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
 * Replays a failed test in its recorded order: the replay file its failure named
 * ({@code target/jfail-reports/<test>.replay}) gives the settings, the seed and the order in which
 * the threads crossed the armed points, with each crossing's decision; while the test runs, a
 * thread goes past its next point only in that crossing's turn. A turn that never comes ends the
 * wait (after 2 s) and is reported on stderr; never a hang. Threads are matched by name.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ExtendWith(JFailExtension.class)
@ResourceLock(value = Resources.GLOBAL, mode = ResourceAccessMode.READ_WRITE) // what @Isolated does, for a method too
public @interface Replay {
    /**
     * The replay file, e.g. {@code target/jfail-reports/CollapseTest-panics.replay}.
     *
     * @return its path, relative to the test's working directory (the module's, under Maven)
     */
    String value();
}
