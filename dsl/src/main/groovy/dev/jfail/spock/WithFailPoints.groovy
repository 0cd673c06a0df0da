package dev.jfail.spock

import java.lang.annotation.Documented
import java.lang.annotation.ElementType
import java.lang.annotation.Repeatable
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target

/**
 * Failpoints for a feature, or for every feature of a spec, in the {@code FAILPOINTS} form, FreeBSD's
 * {@code debug.fail_point.} prefix optional; repeatable:
 * <pre>
 * &#64;WithFailPoints('unlock_and_deallocate_relock=50%sleep(10);vmob_scan_rename_unlock=20%return(1)')
 * &#64;WithFailPoints('debug.fail_point.swapoff_all_pre=pause')
 * </pre>
 * They are set, all or nothing, before the feature's setup, and every point is reset after it,
 * whatever happens. A feature passes only if each of them fired at least once — a race spec
 * that never reached its window proved nothing — unless it is marked {@link FiringOptional}.
 * Feature settings come after the spec's, so a feature can override a point of its spec.
 * {@code @WithFailPoints} without settings marks a spec that uses jfail (holds, the facade) so that
 * it gets the reset, the seed and the lock. The JUnit 5 twin is {@code @dev.jfail.junit.WithFailPoints}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target([ElementType.TYPE, ElementType.METHOD])
@Repeatable(WithFailPointsList)
@interface WithFailPoints {

    /** {@code name=setting;name=setting}; a name may carry the {@code debug.fail_point.} prefix. */
    String value() default ''

    /**
     * Points to declare before the settings are set, for code nobody annotated:
     * {@code NAME@CLASS#METHOD[(DESC)][:POSITION]} or {@code auto@CLASS} / {@code auto@PACKAGE.*},
     * comma-separated, as {@code -Djfail.points} takes them; classes already loaded are retransformed.
     */
    String points() default ''
}
