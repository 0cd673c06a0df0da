package dev.jfail.core;

import dev.jfail.FailPointStatus;
import dev.jfail.FailPointSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry: names, set/get/list/status/reset, and the name=setting;... form. */
class RegistryTest {

    private final FailPointRegistry registry = new FailPointRegistry(11);

    @Test
    void aPointIsCanonicalPerNameWithOrWithoutTheSysctlPrefix() {
        FailPointState p = registry.point("vmob_scan_rename_unlock");
        assertSame(p, registry.point("vmob_scan_rename_unlock"));
        assertSame(p, registry.point("debug.fail_point.vmob_scan_rename_unlock"));
        registry.set("debug.fail_point.vmob_scan_rename_unlock", "20%return(1)");
        assertEquals("20%return(1)", registry.get("vmob_scan_rename_unlock"));
        assertSame(p, registry.point("vmob_scan_rename_unlock"));
        registry.reset();
        assertSame(p, registry.point("vmob_scan_rename_unlock"));
    }

    @Test
    void anUnknownPointReadsOffAndIsNotCreatedByReadingOrTurningItOff() {
        assertEquals("off", registry.get("nobody"));
        registry.set("nobody", "off");
        registry.set("nobody", "0%return");
        FailPointStatus status = registry.status("nobody");
        assertEquals("off", status.setting());
        assertFalse(status.declared());
        assertFalse(registry.isKnown("nobody"));
        assertTrue(registry.list().isEmpty());
    }

    @Test
    void aPointMayBeSetBeforeAnyCodeDeclaresIt() {
        registry.set("later", "yield");
        FailPointStatus status = registry.status("later");
        assertFalse(status.declared());
        assertEquals(List.of(), status.sites());
        assertEquals("yield", status.setting());

        registry.point("later").declare(new Site("dev.example.Later.hook()", "void"));
        registry.point("later").declare(new Site("dev.example.Later.hook()", "void")); // twice: listed once
        status = registry.status("later");
        assertTrue(status.declared());
        assertEquals(List.of("dev.example.Later.hook()"), status.sites());
    }

    @Test
    void listHoldsEveryDeclaredOrSetPointSortedByName() {
        registry.point("zeta").declare(new Site("Z.z()", "void"));
        registry.set("alpha", "5*return(22)->off");
        registry.set("mu", "50%sleep(10)");
        Map<String, String> list = registry.list();
        assertEquals(List.of("alpha", "mu", "zeta"), List.copyOf(list.keySet()));
        assertEquals("5*return(22)", list.get("alpha"));
        assertEquals("50%sleep(10)", list.get("mu"));
        assertEquals("off", list.get("zeta"));
        assertThrows(UnsupportedOperationException.class, () -> list.put("x", "y"));
    }

    @Test
    void resetTurnsEverythingOffAndKeepsThePoints() throws Throwable {
        registry.set("a", "return(1)");
        registry.set("b", "yield");
        registry.point("a").evaluate();
        registry.reset();
        assertEquals(Map.of("a", "off", "b", "off"), registry.list());
        assertFalse(registry.point("a").isArmed());
        assertFalse((boolean) Checks.armedCheck(registry.point("a")).invokeExact());
        assertEquals(0, registry.status("a").evaluations());
    }

    @Test
    void settingAnArmedPointOffFlipsItsGuard() throws Throwable {
        FailPointState p = registry.point("g");
        MethodHandle check = Checks.armedCheck(p);
        registry.set("g", "return(1)");
        assertTrue((boolean) check.invokeExact());
        registry.set("g", "off");
        assertFalse(p.isArmed());
        assertFalse((boolean) check.invokeExact());
        registry.set("g", "yield");
        assertTrue((boolean) check.invokeExact());
        assertTrue((boolean) Checks.armedCheck(p).invokeExact(), "a check made while the point is armed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", " a", "a\tb", "a=b", "a;b", "debug.fail_point.", "debug.fail_point.a b"})
    void badNamesAreRefusedClearly(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> registry.set(name, "return"));
        assertTrue(e.getMessage().contains("failpoint name"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(registry.list().isEmpty());
    }

    @Test
    void aNullNameIsRefusedClearly() {
        assertThrows(IllegalArgumentException.class, () -> registry.set(null, "return"));
        assertThrows(IllegalArgumentException.class, () -> registry.point(null));
    }

    @Test
    void setAllSetsSeveralWithOrWithoutThePrefix() {
        registry.setAll(" a=50%sleep(10) ; ;debug.fail_point.b=20%return(1);; c = 5*return(22)->off ;");
        assertEquals(Map.of("a", "50%sleep(10)", "b", "20%return(1)", "c", "5*return(22)"), registry.list());
    }

    @Test
    void setAllOfNothingDoesNothing() {
        registry.setAll("");
        registry.setAll(" ; ;");
        assertTrue(registry.list().isEmpty());
    }

    @Test
    void setAllLaterEntriesForTheSameNameWin() {
        registry.setAll("a=return(1);a=return(2)");
        assertEquals("return(2)", registry.get("a"));
    }

    @Test
    void setAllIsAllOrNothing() {
        registry.set("a", "yield");
        IllegalArgumentException noEquals = assertThrows(IllegalArgumentException.class,
                () -> registry.setAll("a=return(1);b"));
        assertEquals("entry 'b' has no '='; expected name=setting", noEquals.getMessage());

        FailPointSyntaxException syntax = assertThrows(FailPointSyntaxException.class,
                () -> registry.setAll("a=return(2);b=50%slep(10)"));
        assertEquals("failpoint b: 50%slep(10): unknown type at column 4; expected one of off, panic, return, "
                + "break, print, sleep, pause, yield, delay", syntax.getMessage());
        assertEquals(4, syntax.column());

        assertThrows(IllegalArgumentException.class, () -> registry.setAll("a=return(3);b c=yield"));
        assertThrows(IllegalArgumentException.class, () -> registry.setAll("a=return(3);=yield"));

        registry.point("bytes").declare(new Site("X.b()", "byte"));
        assertThrows(IllegalArgumentException.class, () -> registry.setAll("a=return(4);bytes=return(300)"));

        assertEquals(Map.of("a", "yield", "bytes", "off"), registry.list());
    }

    @Test
    void setAllOfNullIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> registry.setAll(null));
    }

    @Test
    void aSettingCanBeReplacedAndKeepsItsCountsApart() {
        registry.set("p", "3*return(1)");
        FailPointState p = registry.point("p");
        p.evaluate();
        registry.set("p", "3*return(1)"); // a new store starts the count afresh, like sysctl
        assertEquals("3*return(1)", registry.get("p"));
        p.evaluate();
        assertEquals("2*return(1)", registry.get("p"));
    }
}
