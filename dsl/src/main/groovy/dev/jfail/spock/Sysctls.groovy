package dev.jfail.spock

import java.lang.annotation.Documented
import java.lang.annotation.ElementType
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target

/** The container of repeated {@link Sysctl} annotations; write the {@code @Sysctl}s themselves. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target([ElementType.TYPE, ElementType.METHOD])
@interface Sysctls {
    Sysctl[] value()
}
