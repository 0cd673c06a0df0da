package dev.jfail.agent;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The failpoint check of class files older than Java 7, which cannot use invokedynamic: ByteBuddy
 * copies these bodies into the instrumented method, {@link SiteId} becoming the site's number. When
 * the enter advice returns a non-default value the method body is skipped, and the exit advice makes
 * that value the method's result. (Newer class files get the smaller {@link GuardPrologue}.)
 */
final class GuardAdvice {

    private GuardAdvice() {
    }

    /** The site's number in {@link Sites}. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.PARAMETER)
    @interface SiteId {
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
