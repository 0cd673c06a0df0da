package dev.jfail.it;

import dev.jfail.it.fixture.Probe;
import dev.jfail.it.fixture.TickApp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An application jar that embeds the agent and names it as its {@code Launcher-Agent-Class}, as the
 * kernel model's runner does: {@code java -jar app.jar} starts with failpoints, and an extra
 * {@code -javaagent} does not instrument anything twice.
 */
@Timeout(120)
class LauncherAgentIT {

    @TempDir
    static Path dir;
    private static Path app;
    private static Path ticking;

    @BeforeAll
    static void buildApplicationJars() throws IOException {
        app = applicationJar("app.jar", Probe.class.getName());
        ticking = applicationJar("ticking.jar", TickApp.class.getName());
    }

    private static Path applicationJar(String name, String mainClass) throws IOException {
        Path app = dir.resolve(name);
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, mainClass);
        main.putValue("Launcher-Agent-Class", "dev.jfail.agent.JFailAgent");
        main.putValue("Can-Retransform-Classes", "true");
        main.put(Attributes.Name.MULTI_RELEASE, "true");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(app), manifest);
             JarFile agent = new JarFile(Jvm.agentJar().toFile())) {
            for (JarEntry entry : agent.stream().toList()) {
                if (!entry.getName().equals(JarFile.MANIFEST_NAME) && !entry.isDirectory()) {
                    copy(out, entry.getName(), agent.getInputStream(entry));
                }
            }
            Path fixtures = Jvm.fixtures();
            try (Stream<Path> classes = Files.walk(fixtures.resolve("dev/jfail/it/fixture"))) {
                for (Path c : classes.filter(Files::isRegularFile).toList()) {
                    copy(out, fixtures.relativize(c).toString().replace('\\', '/'), Files.newInputStream(c));
                }
            }
        }
        return app;
    }

    private static void copy(JarOutputStream out, String name, InputStream in) throws IOException {
        try (InputStream source = in) {
            out.putNextEntry(new JarEntry(name));
            source.transferTo(out);
            out.closeEntry();
        }
    }

    @Test
    void theApplicationStartsWithItsFailPoints() {
        Jvm.Result r = Jvm.run(List.of("-Ddebug.fail_point.tick=return(3)", "-jar", app.toString()));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("tick=3"), r.toString());
        assertEquals(List.of(), r.stderr());
    }

    /** The jar's own classes share the agent's jar, yet a declaration at run time reaches them. */
    @Test
    void aDeclarationAtRunTimeReachesTheJarsOwnClasses() {
        try (Jvm target = Jvm.start(List.of("-XX:+EnableDynamicAgentLoading", "-jar", ticking.toString()))) {
            target.awaitLine("tick=1 tock=ran third=1");
            Jvm.Result r = Jvm.cli(target.pid(), "--declare", "third@dev.jfail.it.fixture.ThirdParty#version",
                    "third=return(6)");
            assertEquals(0, r.exit(), r.toString());
            target.awaitLine("tick=1 tock=ran third=6");
        }
    }

    @Test
    void aJavaagentBesideItInstrumentsOnce() {
        Jvm.Result r = Jvm.run(List.of("-Djfail.verbose=true", "-javaagent:" + Jvm.agentJar() + "=tick=return(8)",
                "-jar", app.toString()));
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.stdout().contains("tick=8"), r.toString());
        assertEquals(1, r.stderr().stream().filter(l -> l.contains("instrumented dev.jfail.it.fixture.Ticker.tick()")).count(),
                r.toString());
    }
}
