package dev.jfail.spock

import org.spockframework.runtime.extension.ExtensionAnnotation

import java.lang.annotation.Documented
import java.lang.annotation.ElementType
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target

/**
 * Failpoints for a feature, or for every feature of a spec, in the {@code FAILPOINTS} form:
 * <pre>
 * &#64;FailPoints('unlock_and_deallocate_relock=50%sleep(10);vmob_scan_rename_unlock=20%return(1)')
 * </pre>
 * They are set, all or nothing, before the feature's setup, and every point is reset after it,
 * whatever happens. A feature passes only if each of them fired at least once — a race spec
 * that never reached its window proved nothing — unless it is marked {@link FiringOptional}.
 * Feature settings come after the spec's, so a feature can override a point of its spec.
 *
 * <p>Not to be confused with the control facade {@code dev.jfail.FailPoints}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target([ElementType.TYPE, ElementType.METHOD])
@ExtensionAnnotation(FailPointsExtension)
@interface FailPoints {

    /** {@code name=setting;name=setting}; a name may carry the {@code debug.fail_point.} prefix. */
    String value()
}
