/**
 * What instrumented classes link to at run time: the call sites of the checks, forced returns, sites of pre-Java-7 class files. Loaded by the application's classes, so it depends on nothing that loads ASM.
 *
 * <p>Internal to jfail: not part of its API and may change in any release. User code compiles against
 * {@code dev.jfail} (the annotation, the facade, {@code Hold}) and the annotations of {@code dev.jfail.junit}
 * and {@code dev.jfail.spock}.
 */
package dev.jfail.bootstrap;
