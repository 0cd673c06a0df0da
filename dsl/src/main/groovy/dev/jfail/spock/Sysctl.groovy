package dev.jfail.spock

import org.spockframework.runtime.extension.ExtensionAnnotation

import java.lang.annotation.Documented
import java.lang.annotation.ElementType
import java.lang.annotation.Repeatable
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target

/**
 * One failpoint for a feature or a spec, written as it would be typed after {@code sysctl};
 * repeatable, one per point:
 * <pre>
 * &#64;Sysctl('debug.fail_point.unlock_and_deallocate_relock=50%sleep(10)')
 * &#64;Sysctl('debug.fail_point.vmob_scan_rename_unlock=20%return(1)')
 * </pre>
 * The same rules as {@link FailPoints}: set before, reset after, must fire.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target([ElementType.TYPE, ElementType.METHOD])
@Repeatable(Sysctls)
@ExtensionAnnotation(FailPointsExtension)
@interface Sysctl {

    /** {@code debug.fail_point.NAME=SETTING} (the prefix may be left out). */
    String value()
}
