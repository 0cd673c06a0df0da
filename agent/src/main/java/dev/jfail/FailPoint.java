package dev.jfail;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method as a failpoint. With the jfail agent attached, the point is evaluated every time
 * the method is entered; without it, the annotation does nothing at all.
 *
 * <pre>{@code
 * @FailPoint("unlock_and_deallocate_relock")
 * void unlockAndDeallocateRelock() { }        // a hook: sleep/yield/pause happen here
 *
 * @FailPoint("vmob_scan_rename_unlock")
 * boolean vmPageRenameFails() { return false; } // return(1) makes it return true
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface FailPoint {

    /**
     * The failpoint's name, as typed after {@code debug.fail_point.}.
     *
     * @return the name
     */
    String value();

    /**
     * What {@code panic} throws: a {@link RuntimeException} with a public {@code (String)}
     * constructor, given the message {@code "fail point NAME panicking"}.
     *
     * @return the exception class
     */
    Class<? extends RuntimeException> panic() default FailPointPanic.class;
}
