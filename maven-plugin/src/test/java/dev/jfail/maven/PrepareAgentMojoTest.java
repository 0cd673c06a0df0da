package dev.jfail.maven;

import org.apache.maven.plugin.MojoExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The goal's work on the project's and the command line's properties. */
class PrepareAgentMojoTest {

    @TempDir
    Path dir;

    private File jar() throws IOException {
        return Files.createFile(dir.resolve("jfail-agent.jar")).toFile();
    }

    private static PrepareAgentMojo mojo() {
        PrepareAgentMojo mojo = new PrepareAgentMojo();
        mojo.propertyName = "argLine";
        return mojo;
    }

    @Test
    void setsArgLineAppendingToThePomsValue() throws Exception {
        Properties project = new Properties();
        project.setProperty("argLine", "-Xmx1g");
        PrepareAgentMojo mojo = mojo();
        mojo.failpoints = "a=return(1)";
        String line = mojo.prepare(project, new Properties(), jar());
        assertEquals("-Xmx1g -javaagent:" + dir.resolve("jfail-agent.jar") + "=a=return(1)", line);
        assertEquals(line, project.getProperty("argLine"));
    }

    @Test
    void extendsTheCommandLinesValueWhichWinsOverThePoms() throws Exception {
        Properties project = new Properties();
        project.setProperty("argLine", "-Xmx1g");
        Properties user = new Properties();
        user.setProperty("argLine", "-ea");
        PrepareAgentMojo mojo = mojo();
        mojo.propertyName = "argLine";
        String line = mojo.prepare(project, user, jar());
        assertEquals("-ea -javaagent:" + dir.resolve("jfail-agent.jar"), line);
        assertEquals(line, user.getProperty("argLine"));
    }

    @Test
    void anotherPropertyNameLeavesArgLineAlone() throws Exception {
        Properties project = new Properties();
        PrepareAgentMojo mojo = mojo();
        mojo.propertyName = "jfailArgs";
        mojo.seed = "0x2a";
        mojo.prepare(project, new Properties(), jar());
        assertFalse(project.containsKey("argLine"));
        assertEquals("-javaagent:" + dir.resolve("jfail-agent.jar") + " -Djfail.seed=0x2a", project.getProperty("jfailArgs"));
    }

    @Test
    void aMalformedSettingOrSeedFailsTheBuildWithOneLineAndChangesNothing() throws Exception {
        Properties project = new Properties();
        PrepareAgentMojo mojo = mojo();
        mojo.failpoints = "a=50%slep(10)";
        File jar = jar();
        MojoExecutionException e = assertThrows(MojoExecutionException.class, () -> mojo.prepare(project, new Properties(), jar));
        assertEquals("jfail: failpoints: failpoint a: 50%slep(10): unknown type at column 4; expected one of off, panic, return,"
                + " break, print, sleep, pause, yield, delay", e.getMessage());
        mojo.failpoints = null;
        mojo.seed = "soon";
        e = assertThrows(MojoExecutionException.class, () -> mojo.prepare(project, new Properties(), jar));
        assertEquals("jfail: seed 'soon' is not a whole number", e.getMessage());
        assertFalse(project.containsKey("argLine"));
    }

    @Test
    void anUnresolvedAgentIsReported() {
        MojoExecutionException e = assertThrows(MojoExecutionException.class,
                () -> mojo().prepare(new Properties(), new Properties(), null));
        assertEquals("jfail: the plugin's dependency dev.jfail:jfail-agent is not resolved (null)", e.getMessage());
    }
}
