package dev.jfail.config;

import dev.jfail.core.FailPointRegistry;
import dev.jfail.tooling.Declaration;
import dev.jfail.tooling.PointDeclaration;
import dev.jfail.tooling.TestAgent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartupSettingsTest {

    private final FailPointRegistry registry = new FailPointRegistry(1L);

    @Test
    void theEnvironmentVariableSetsSeveralPoints() {
        StartupSettings.applyEnvironment(registry, Map.of("FAILPOINTS", "a=50%sleep(10); debug.fail_point.b=20%return(1)"));
        assertEquals("50%sleep(10)", registry.get("a"));
        assertEquals("20%return(1)", registry.get("b"));
    }

    @Test
    void aBadEnvironmentVariableIsOneLineAndChangesNothing() {
        String stderr = TestAgent.stderrOf(() ->
                StartupSettings.applyEnvironment(registry, Map.of("FAILPOINTS", "a=return(1);b=50%slep(10)")));
        assertEquals("off", registry.get("a"));
        assertTrue(stderr.startsWith("jfail: FAILPOINTS: "), stderr);
        assertTrue(stderr.contains("column"), stderr);
        assertEquals(1, stderr.lines().count(), stderr);
    }

    @Test
    void systemPropertiesSetOnePointEachAndABadOneSpoilsOnlyItself() {
        Properties p = new Properties();
        p.setProperty("debug.fail_point.good", "5*return(22)->off");
        p.setProperty("debug.fail_point.bad", "return(");
        p.setProperty("unrelated", "x");
        String stderr = TestAgent.stderrOf(() -> StartupSettings.applyProperties(registry, p));
        assertEquals("5*return(22)", registry.get("good"));
        assertEquals("off", registry.get("bad"));
        assertTrue(stderr.startsWith("jfail: -Ddebug.fail_point.bad=return(: "), stderr);
        assertEquals(1, stderr.lines().count(), stderr);
    }

    @Test
    void declarationsComeFromTheJfailPointsProperty() {
        Properties p = new Properties();
        p.setProperty("jfail.points", "a@x.Y#m(I), b@x.Y#n(Ljava/lang/String;)V,,bad, auto@x.z.*");
        AtomicReference<List<Declaration>> specs = new AtomicReference<>();
        String stderr = TestAgent.stderrOf(() -> specs.set(StartupSettings.declaredByProperty(p)));
        assertEquals(List.of(PointDeclaration.parse("a@x.Y#m(I)"), PointDeclaration.parse("b@x.Y#n(Ljava/lang/String;)V"),
                Declaration.parse("auto@x.z.*")), specs.get());
        assertTrue(stderr.startsWith("jfail: -Djfail.points: bad failpoint declaration 'bad'"), stderr);
    }
}
