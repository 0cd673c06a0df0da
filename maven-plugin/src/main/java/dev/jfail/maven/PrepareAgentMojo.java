package dev.jfail.maven;

import dev.jfail.core.FailPointRegistry;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

import java.io.File;
import java.util.Map;
import java.util.Properties;

/**
 * Points the tests at the jfail agent, the way jacoco-maven-plugin's {@code prepare-agent} does:
 * sets the property surefire and failsafe read their JVM arguments from ({@code argLine}, or
 * {@link #propertyName}) to {@code -javaagent:<jfail-agent.jar>[=<declarations;settings>]},
 * appended to the value it had. The agent jar is this plugin's own dependency, so its version is
 * the plugin's. Bound to {@code initialize} by default.
 *
 * <pre>{@code
 * <plugin>
 *   <groupId>dev.jfail</groupId>
 *   <artifactId>jfail-maven-plugin</artifactId>
 *   <executions><execution><goals><goal>prepare-agent</goal></goals></execution></executions>
 * </plugin>
 * }</pre>
 *
 * A pom that sets {@code <argLine>} in surefire's configuration itself must include the property
 * there ({@code <argLine>@{argLine} -Xmx1g</argLine>}), as with JaCoCo.
 */
@Mojo(name = "prepare-agent", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class PrepareAgentMojo extends AbstractMojo {

    static final String AGENT = "dev.jfail:jfail-agent";

    /** The property the JVM arguments go to: surefire's and failsafe's {@code argLine} unless said otherwise. */
    @Parameter(property = "jfail.propertyName", defaultValue = "argLine")
    String propertyName;

    /** Failpoints set when the test JVM starts, {@code name=setting;name=setting} (the {@code debug.fail_point.} prefix optional). */
    @Parameter(property = "jfail.failpoints")
    String failpoints;

    /**
     * Failpoints declared on methods of classes you cannot annotate: {@code NAME@CLASS#METHOD[(DESC)][:POSITION]},
     * or the automatic points of a class or package, {@code auto@CLASS} / {@code auto@PACKAGE.*}; comma-separated.
     */
    @Parameter(property = "jfail.points")
    String points;

    /** The seed of every probability roll (replays a run); {@code -Djfail.seed=N} on the Maven command line does the same. */
    @Parameter(property = "jfail.seed")
    String seed;

    /** Skips the goal: the tests run without the agent (jfail's extensions then load it themselves, or say it is missing). */
    @Parameter(property = "jfail.skip", defaultValue = "false")
    boolean skip;

    @Parameter(property = "plugin.artifactMap", required = true, readonly = true)
    Map<String, Artifact> pluginArtifactMap;

    @Parameter(defaultValue = "${project}", required = true, readonly = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", required = true, readonly = true)
    MavenSession session;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("jfail: skipped (jfail.skip); " + propertyName + " is left as it was");
            return;
        }
        Artifact agent = pluginArtifactMap.get(AGENT);
        String line = prepare(project.getProperties(), session.getUserProperties(), agent == null ? null : agent.getFile());
        getLog().info("jfail: " + propertyName + " set to " + line);
    }

    /**
     * Checks the parameters, then sets the property to the agent's line, appended to its value
     * (the command line's {@code -DargLine=...} wins over the pom's, so it is the one extended, and
     * updated too). Returns the line.
     */
    String prepare(Properties projectProperties, Properties userProperties, File jar) throws MojoExecutionException {
        check();
        if (jar == null || !jar.isFile()) {
            throw new MojoExecutionException("jfail: the plugin's dependency " + AGENT + " is not resolved (" + jar + ")");
        }
        String previous = userProperties.getProperty(propertyName, projectProperties.getProperty(propertyName));
        String line = AgentLine.of(previous, jar.toPath(), points, failpoints, seed);
        projectProperties.setProperty(propertyName, line);
        if (userProperties.containsKey(propertyName)) {
            userProperties.setProperty(propertyName, line);
        }
        return line;
    }

    /** A malformed setting or seed fails the build with the registry's one line, before any test runs. */
    private void check() throws MojoExecutionException {
        try {
            if (failpoints != null && !failpoints.isBlank()) {
                new FailPointRegistry(0).setAll(failpoints);
            }
            if (seed != null && !seed.isBlank()) {
                Long.decode(seed.strip());
            }
        } catch (NumberFormatException e) {
            throw new MojoExecutionException("jfail: seed '" + seed + "' is not a whole number");
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("jfail: failpoints: " + e.getMessage());
        }
    }
}
