/**
 * Settings and declarations given at start: agent arguments, FAILPOINTS, system properties.
 *
 * <p>Internal to jfail: not part of its API and may change in any release. User code compiles against
 * {@code dev.jfail} (the annotation, the facade, {@code Hold}) and the annotations of {@code dev.jfail.junit}
 * and {@code dev.jfail.spock}.
 */
package dev.jfail.config;
