/**
 * jfail's API: what user code compiles against.
 *
 * <ul>
 * <li>{@link dev.jfail.FailPoint} marks a method as a failpoint;</li>
 * <li>{@link dev.jfail.FailPoints} sets, reads and resets failpoints in FreeBSD's {@code debug.fail_point}
 *     language, and holds threads at them ({@link dev.jfail.Hold});</li>
 * <li>{@link dev.jfail.FailPointSyntaxException}, {@link dev.jfail.FailPointPanic} and
 *     {@link dev.jfail.FailPointStatus} are what those calls throw and return.</li>
 * </ul>
 * Tests use it through the annotations of {@code dev.jfail.junit} (JUnit 5) and {@code dev.jfail.spock}
 * (Spock), and the Groovy DSL of {@code dev.jfail.dsl}. Every other package of the agent is internal.
 */
package dev.jfail;
