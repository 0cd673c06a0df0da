package dev.jfail.maven;

import org.apache.maven.artifact.versioning.ComparableVersion;
import org.apache.maven.model.Dependency;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.codehaus.plexus.util.xml.Xpp3Dom;

import java.util.ArrayList;
import java.util.List;

/**
 * What in the build's surefire and failsafe would make the agent line useless, each as one warning
 * line naming the fix: a version too old to run JUnit 5 tests at all (Maven 3.8's default surefire,
 * 2.12.4, runs none and reports success), a JUnit 4 provider chosen by hand, and an
 * {@code <argLine>} of the pom's own that drops the property the agent line is in.
 */
final class TestPluginCheck {

    /** The first surefire/failsafe that runs tests on the JUnit Platform. */
    static final ComparableVersion FIRST_WITH_PLATFORM = new ComparableVersion("2.22.0");
    private static final String GROUP = "org.apache.maven.plugins";
    private static final List<String> RUNNERS = List.of("maven-surefire-plugin", "maven-failsafe-plugin");

    private TestPluginCheck() {
    }

    /** The warnings for {@code plugins} (the project's build plugins, the lifecycle's included), {@code property} holding the agent line. */
    static List<String> warnings(List<Plugin> plugins, String property) {
        List<String> warnings = new ArrayList<>();
        for (Plugin plugin : plugins) {
            if (!GROUP.equals(plugin.getGroupId()) || !RUNNERS.contains(plugin.getArtifactId())) {
                continue;
            }
            String name = plugin.getArtifactId();
            String version = plugin.getVersion();
            if (version != null && !version.contains("${") && new ComparableVersion(version).compareTo(FIRST_WITH_PLATFORM) < 0) {
                warnings.add("jfail: " + name + " " + version + " runs no JUnit 5 test (Tests run: 0): declare it in <build><plugins>"
                        + " with <version>3.5.3</version> (2.22.0 at least)");
            }
            for (Dependency provider : plugin.getDependencies()) {
                String id = provider.getArtifactId();
                if (id.startsWith("surefire-junit") && !id.equals("surefire-junit-platform")) {
                    warnings.add("jfail: " + name + " is given the provider " + id + ", which runs no JUnit 5 test: remove that"
                            + " <dependency> (or use surefire-junit-platform)");
                }
            }
            List<Object> configurations = new ArrayList<>();
            configurations.add(plugin.getConfiguration());
            for (PluginExecution execution : plugin.getExecutions()) {
                configurations.add(execution.getConfiguration());
            }
            for (Object configuration : configurations) {
                String argLine = argLine(configuration);
                if (argLine != null && !argLine.contains("@{" + property + "}") && !argLine.contains("${" + property + "}")) {
                    warnings.add("jfail: " + name + "'s <argLine>" + argLine + "</argLine> drops the agent: write <argLine>@{"
                            + property + "} " + argLine + "</argLine>");
                    break;
                }
            }
        }
        return warnings;
    }

    private static String argLine(Object configuration) {
        if (!(configuration instanceof Xpp3Dom dom)) {
            return null;
        }
        Xpp3Dom argLine = dom.getChild("argLine");
        return argLine == null || argLine.getValue() == null ? null : argLine.getValue().strip();
    }
}
