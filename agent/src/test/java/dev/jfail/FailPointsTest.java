package dev.jfail;

import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.FailPointState;
import dev.jfail.core.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The facade users type, as PRODUCT.md promises it. */
class FailPointsTest {

    private long seedBefore;

    @BeforeEach
    void clean() {
        seedBefore = FailPoints.seed();
        FailPoints.reset();
    }

    @AfterEach
    void restore() {
        FailPoints.reset();
        FailPoints.seed(seedBefore);
    }

    @Test
    void setGetOffOnTheGlobalRegistry() {
        FailPoints.set("unlock_and_deallocate_relock", "50%sleep(10)");
        assertEquals("50%sleep(10)", FailPoints.get("unlock_and_deallocate_relock"));
        assertEquals("50%sleep(10)", FailPoints.get("debug.fail_point.unlock_and_deallocate_relock"));
        FailPointState state = FailPointRegistry.global().point("unlock_and_deallocate_relock");
        assertTrue(state.isArmed());
        FailPoints.off("unlock_and_deallocate_relock");
        assertEquals("off", FailPoints.get("unlock_and_deallocate_relock"));
        assertFalse(state.isArmed());
        assertSame(FailPointRegistry.global(), FailPointRegistry.global());
    }

    @Test
    void theJavadocExampleWorks() {
        FailPoints.setAll("a=5*return(22)->off;debug.fail_point.b=yield");
        Map<String, String> list = FailPoints.list();
        assertEquals("5*return(22)", list.get("a"));
        assertEquals("yield", list.get("b"));
        assertEquals(new Outcome.Return(22), FailPointRegistry.global().point("a").evaluate());
        assertEquals("4*return(22)", FailPoints.get("a"));
        FailPoints.reset();
        assertEquals("off", FailPoints.get("a"));
        assertEquals("off", FailPoints.get("b"));
    }

    @Test
    void statusReportsTheSettingAndCounters() {
        FailPoints.set("vmob_scan_rename_unlock", "return(1)");
        FailPointRegistry.global().point("vmob_scan_rename_unlock").evaluate();
        FailPointStatus status = FailPoints.status("vmob_scan_rename_unlock");
        assertEquals("vmob_scan_rename_unlock", status.name());
        assertEquals("return(1)", status.setting());
        assertEquals(1, status.evaluations());
        assertEquals(1, status.fired("return"));
    }

    @Test
    void aMalformedSettingIsAnIllegalArgumentExceptionNamingTheColumn() {
        FailPoints.set("p", "yield");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FailPoints.set("p", "50%slep(10)"));
        assertTrue(e.getMessage().contains("column 4"), e.getMessage());
        assertEquals("yield", FailPoints.get("p"));
    }

    @Test
    void theSeedCanBeSetAndRead() {
        FailPoints.seed(20151201L);
        assertEquals(20151201L, FailPoints.seed());
    }
}
