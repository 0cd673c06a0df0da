/**
 * The instrumentation: which methods carry points, and the checks written into them with ASM.
 *
 * <p>Internal to jfail: not part of its API and may change in any release. User code compiles against
 * {@code dev.jfail} (the annotation, the facade, {@code Hold}) and the annotations of {@code dev.jfail.junit}
 * and {@code dev.jfail.spock}.
 */
package dev.jfail.tooling;
