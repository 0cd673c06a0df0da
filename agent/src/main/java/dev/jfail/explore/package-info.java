/**
 * The explorer: runs a workload under failpoint settings it picks until a symptom shows, shrinks the
 * setting, and hands it back.
 *
 * <p>From Java, {@link dev.jfail.explore.Explorer}, {@link dev.jfail.explore.Exploration} and
 * {@link dev.jfail.explore.Trial} are jfail's API (docs/explore.md); every other class here is internal to
 * jfail and may change in any release. Tests reach the explorer through {@code @Explore}.
 */
package dev.jfail.explore;
