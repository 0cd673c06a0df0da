package dev.jfail.agent;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The code inlined at the entry of a failpoint method. ByteBuddy copies these bodies into the
 * instrumented method: {@link Armed} becomes the point's guard, {@link SiteId} the site's number.
 * When the enter advice returns a non-default value the method body is skipped, and the exit
 * advice makes that value the method's result.
 */
final class GuardAdvice {

    private GuardAdvice() {
    }

    /** The guard: invokedynamic to {@link Bootstrap#armed} or, for old class files, {@link Hooks#isArmed}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface Armed {
    }

    /** The site's number in {@link Sites}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface SiteId {
    }

    /** Methods returning a value, guarded by invokedynamic. */
    static final class Returning {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Object enter(@Armed boolean armed, @SiteId int site) {
            return armed ? Hooks.valueFor(site) : null;
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter Object forced,
                         @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
            if (forced != null) {
                returned = forced;
            }
        }
    }

    /** Methods returning nothing (void, or java.lang.Void), guarded by invokedynamic. */
    static final class Returnless {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@Armed boolean armed, @SiteId int site) {
            return armed && Hooks.returnsAtOnce(site);
        }
    }

    /** Methods returning a value in class files older than Java 7, which have no invokedynamic. */
    static final class LegacyReturning {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static Object enter(@SiteId int site) {
            return Hooks.isArmed(site) ? Hooks.valueFor(site) : null;
        }

        @Advice.OnMethodExit
        static void exit(@Advice.Enter Object forced,
                         @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
            if (forced != null) {
                returned = forced;
            }
        }
    }

    /** Methods returning nothing in class files older than Java 7. */
    static final class LegacyReturnless {
        @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
        static boolean enter(@SiteId int site) {
            return Hooks.isArmed(site) && Hooks.returnsAtOnce(site);
        }
    }
}
