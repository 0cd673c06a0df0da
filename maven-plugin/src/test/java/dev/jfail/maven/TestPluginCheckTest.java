package dev.jfail.maven;

import org.apache.maven.model.Dependency;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The warnings prepare-agent gives about a surefire or failsafe that would run no test with the agent. */
class TestPluginCheckTest {

    private static Plugin plugin(String artifactId, String version, String argLine) {
        Plugin plugin = new Plugin();
        plugin.setGroupId("org.apache.maven.plugins");
        plugin.setArtifactId(artifactId);
        plugin.setVersion(version);
        if (argLine != null) {
            plugin.setConfiguration(configuration(argLine));
        }
        return plugin;
    }

    private static Xpp3Dom configuration(String argLine) {
        Xpp3Dom configuration = new Xpp3Dom("configuration");
        Xpp3Dom child = new Xpp3Dom("argLine");
        child.setValue(argLine);
        configuration.addChild(child);
        return configuration;
    }

    @Test
    void mavensOldDefaultSurefireIsNamedWithTheVersionToDeclare() {
        assertEquals(List.of("jfail: maven-surefire-plugin 2.12.4 runs no JUnit 5 test (Tests run: 0): declare it in <build><plugins>"
                        + " with <version>3.5.3</version> (2.22.0 at least)"),
                TestPluginCheck.warnings(List.of(plugin("maven-surefire-plugin", "2.12.4", null)), "argLine"));
    }

    @Test
    void anArgLineWithoutThePropertyIsNamedWithTheFix() {
        Plugin failsafe = plugin("maven-failsafe-plugin", "3.5.3", null);
        PluginExecution execution = new PluginExecution();
        execution.setConfiguration(configuration("-Xmx1g"));
        failsafe.addExecution(execution);
        assertEquals(List.of(
                        "jfail: maven-surefire-plugin's <argLine>-Xmx1g -ea</argLine> drops the agent: write <argLine>@{argLine} -Xmx1g -ea</argLine>",
                        "jfail: maven-failsafe-plugin's <argLine>-Xmx1g</argLine> drops the agent: write <argLine>@{argLine} -Xmx1g</argLine>"),
                TestPluginCheck.warnings(List.of(plugin("maven-surefire-plugin", "3.5.3", "-Xmx1g -ea"), failsafe), "argLine"));
    }

    @Test
    void aJUnit4ProviderIsNamed() {
        Plugin surefire = plugin("maven-surefire-plugin", "3.5.3", null);
        Dependency provider = new Dependency();
        provider.setArtifactId("surefire-junit47");
        surefire.addDependency(provider);
        assertEquals(List.of("jfail: maven-surefire-plugin is given the provider surefire-junit47, which runs no JUnit 5 test:"
                + " remove that <dependency> (or use surefire-junit-platform)"), TestPluginCheck.warnings(List.of(surefire), "argLine"));
    }

    @Test
    void aRecentSurefireWhoseArgLineKeepsThePropertyGetsNoWarning() {
        assertEquals(List.of(), TestPluginCheck.warnings(List.of(
                plugin("maven-surefire-plugin", "3.5.3", "@{argLine} -Xmx1g"),
                plugin("maven-failsafe-plugin", "2.22.2", "${argLine}"),
                plugin("maven-compiler-plugin", "2.0", "-Xmx1g")), "argLine"));
    }
}
