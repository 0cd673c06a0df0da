package dev.jfail.junit;

import dev.jfail.FailPoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Tests that declare their own points: {@code @WithFailPoints(points = ...)} and {@code FailPoints.declare}, with the agent attached. */
@Timeout(120)
class DeclaredPointsTest {

    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    @BeforeEach
    @AfterEach
    void clean() {
        SEEN.clear();
        FailPoints.reset();
    }

    @WithFailPoints(value = "junit_plain_value=return(5)", points = "junit_plain_value@dev.jfail.junit.Plain#value")
    static class Explicit {
        @Test
        void declaredThenSet() {
            SEEN.put("value", new Plain().value());
        }
    }

    @Test
    void anExplicitDeclarationOnTheAnnotationIsMadeBeforeItsSettings() {
        new Plain().value(); // loaded before: the declaration retransforms it
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(Explicit.class)).execute()
                .testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertEquals(5, SEEN.get("value"));
        assertEquals(41, new Plain().value()); // reset after the test: the point stays declared, off
        assertTrue(FailPoints.status("junit_plain_value").declared());
    }

    @WithFailPoints(value = "PlainLate.value.entry=return(8)", points = "auto@dev.jfail.junit.PlainLate")
    static class Automatic {
        @Test
        void automaticPointsOfAClassLoadedLater() {
            SEEN.put("value", new PlainLate().value());
            SEEN.put("declarations", FailPoints.declarationsOf("PlainLate.value.entry"));
        }
    }

    @Test
    void automaticPointsOnTheAnnotationHandBackTheirExplicitDeclarations() {
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(Automatic.class)).execute()
                .testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertEquals(8, SEEN.get("value"));
        assertEquals(List.of("PlainLate.value.entry@dev.jfail.junit.PlainLate#value()I"), SEEN.get("declarations"));
    }

    @Test
    void declareRetransformsALoadedClassAndListsWhatItPlaced() {
        assertEquals(41, new Plain().guarded());
        assertEquals(List.of("auto@dev.jfail.junit.Plain"), FailPoints.declare("auto@dev.jfail.junit.Plain"));
        FailPoints.set("Plain.guarded.exit", "1*return(2)");
        assertEquals(2, new Plain().guarded());
        assertEquals(41, new Plain().guarded());
        assertTrue(FailPoints.list().containsKey("Plain.value.after_read_calls_1"), FailPoints.list().keySet().toString());
        assertEquals(List.of("Plain.value.after_read_calls_1@dev.jfail.junit.Plain#value()I:after=field:dev.jfail.junit.Plain.calls#2"),
                FailPoints.declarationsOf("Plain.value.after_read_calls_1"));
    }

    @Test
    void aBadDeclarationIsRefusedWithOneLineAndDeclaresNothing() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FailPoints.declare("junit_ok@dev.jfail.junit.Plain#value", "auto@dev..junit"));
        assertEquals("bad automatic declaration 'auto@dev..junit': expected auto@CLASS or auto@PACKAGE.*,"
                + " e.g. auto@com.acme.Pool or auto@com.acme.pool.*", e.getMessage());
        assertFalse(FailPoints.status("junit_ok").declared());
        e = assertThrows(IllegalArgumentException.class, () -> FailPoints.declare("junit_nope@dev.jfail.junit.Plain#nope"));
        assertTrue(e.getMessage().startsWith("declaration junit_nope@dev.jfail.junit.Plain#nope refused: dev.jfail.junit.Plain"
                + " has no method nope"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FailPoints.declare(" "));
    }
}
