package dev.jfail.junit;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Failpoints for a test, or for every test of a class, in the {@code FAILPOINTS} form, FreeBSD's
 * {@code debug.fail_point.} prefix optional; repeatable:
 * <pre>{@code
 * @WithFailPoints("unlock_and_deallocate_relock=50%sleep(10);vmob_scan_rename_unlock=20%return(1)")
 * @WithFailPoints("debug.fail_point.swapoff_all_pre=pause")
 * }</pre>
 * They are set, all or nothing, before the test's {@code @BeforeEach} methods, and every failpoint
 * is reset after its {@code @AfterEach} methods (everything off, paused threads released), whatever
 * happens. A test passes only if each of them fired at least once while it ran — a race test that
 * never reached its window proved nothing — unless it is marked {@link FiringOptional}. A test's
 * settings come after its class's, so it can override a point of its class.
 *
 * <p>{@code @WithFailPoints} without settings marks a class whose tests use jfail (holds, the
 * facade) so that they get the reset, the seed, the replay hint and the lock: tests that use jfail
 * run one at a time even under JUnit's parallel execution, as failpoints belong to the whole JVM.
 * The Spock twin is {@code @dev.jfail.spock.WithFailPoints}.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(WithFailPointsList.class)
@ExtendWith(JFailExtension.class)
@ResourceLock(value = Resources.GLOBAL, mode = ResourceAccessMode.READ_WRITE) // what @Isolated does, for a method too
public @interface WithFailPoints {

    /**
     * {@code name=setting;name=setting}; a name may carry the {@code debug.fail_point.} prefix.
     *
     * @return the settings, e.g. {@code vmob_scan_rename_unlock=20%return(1)}; empty marks a test that only uses jfail
     */
    String value() default "";

    /**
     * Points to declare before the settings are set, for code nobody annotated:
     * {@code NAME@CLASS#METHOD[(DESC)][:POSITION]} or {@code auto@CLASS} / {@code auto@PACKAGE.*},
     * comma-separated, as {@code -Djfail.points} takes them; classes already loaded are retransformed.
     * <pre>{@code
     * @WithFailPoints(value = "gap=1*sleep(50)", points = "gap@com.acme.pool.Pool#borrow:line=88")
     * }</pre>
     *
     * @return the declarations; empty declares nothing
     */
    String points() default "";
}
