/**
 * Replay: the replay file's format, and the scheduling that makes a run cross its armed points in a
 * recorded order (it installs itself into the core's crossings while a replay runs).
 *
 * <p>Internal to jfail: not part of its API and may change in any release. User code compiles against
 * {@code dev.jfail} (the annotation, the facade, {@code Hold}) and the annotations of {@code dev.jfail.junit}
 * and {@code dev.jfail.spock}.
 */
package dev.jfail.replay;
