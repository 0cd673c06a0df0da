package dev.jfail.cli;

import dev.jfail.core.Json;
import dev.jfail.jmx.PointStatus;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliPartsTest {

    @Test
    void anEntryIsANameWithOptionalPrefixAndSetting() {
        assertEquals(new JFailCtl.Entry("a", null), JFailCtl.Entry.parse("debug.fail_point.a"));
        assertEquals(new JFailCtl.Entry("a", "50%sleep(10)"), JFailCtl.Entry.parse("a=50%sleep(10)"));
        assertEquals(new JFailCtl.Entry("a", "return(1)->off"), JFailCtl.Entry.parse(" debug.fail_point.a = return(1)->off "));
        assertEquals(new JFailCtl.Entry("a", ""), JFailCtl.Entry.parse("a="));
        CliException e = assertThrows(CliException.class, () -> JFailCtl.Entry.parse("=return"));
        assertTrue(e.getMessage().contains("empty failpoint name"), e.getMessage());
    }

    @Test
    void jsonEscapesAndNests() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("s", "a\"b\\c\nd\u0001");
        doc.put("n", 12L);
        doc.put("b", true);
        doc.put("l", List.of("x", 1));
        doc.put("m", Map.of("k", List.of()));
        doc.put("z", null);
        assertEquals("{\"s\":\"a\\\"b\\\\c\\nd\\u0001\",\"n\":12,\"b\":true,\"l\":[\"x\",1],\"m\":{\"k\":[]},\"z\":null}",
                Json.write(doc));
    }

    @Test
    void aPointLineReadsLikeSysctlWithItsCounters() {
        PointStatus held = new PointStatus("relock", "50%sleep(10)", true, List.of("a.B.m()"), 12, Map.of("sleep", 6L),
                List.of(new PointStatus.HeldThread("worker-1", 31, "SLEEPING", List.of("a.B.m(B.java:3)"))));
        assertEquals("debug.fail_point.relock: 50%sleep(10)  (evaluated 12, fired sleep 6, 1 thread held)", PointText.line(held));
        assertEquals("""
                debug.fail_point.relock: 50%sleep(10)  (evaluated 12, fired sleep 6, 1 thread held)
                  site a.B.m()
                  sleeping: "worker-1" #31
                      at a.B.m(B.java:3)""", PointText.detailed(held));
        PointStatus unknown = new PointStatus("x", "return(1)", false, List.of(), 0, Map.of(), List.of());
        assertEquals("debug.fail_point.x: return(1)  (no code loaded carries it)", PointText.line(unknown));
        assertEquals("debug.fail_point.x: off -> return(1)", PointText.changed("x", "off", "return(1)"));
    }

    @Test
    void usageErrorsExitWithTwo() {
        StringWriter err = new StringWriter();
        int exit = JFailCtl.run(new String[] {"--no-such-option", "1"}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(2, exit);
        assertTrue(err.toString().contains("Unknown option"), err.toString());
    }

    @Test
    void helpExitsWithZeroAndNamesTheForms() {
        StringWriter out = new StringWriter();
        assertEquals(0, JFailCtl.run(new String[] {"--help"}, new PrintWriter(out), new PrintWriter(new StringWriter())));
        assertTrue(out.toString().contains("EnableDynamicAgentLoading"), out.toString());
        assertTrue(out.toString().contains("opens no TCP port"), out.toString());
        assertTrue(out.toString().contains("--jmx"), out.toString());
    }

    @Test
    void helpFormatsItsExamplesWithoutPicocliWarnings() {
        StringWriter out = new StringWriter();
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(stderr, true));
        try {
            JFailCtl.run(new String[] {"--help"}, new PrintWriter(out), new PrintWriter(new StringWriter()));
        } finally {
            System.setErr(saved);
        }
        assertTrue(out.toString().contains("relock='50%sleep(10)' b=off"), out.toString());
        assertEquals("", stderr.toString(), "a '%' in the help must be escaped as '%%'");
    }

    @Test
    void nothingTheTargetSendsCanDriveTheTerminal() {
        assertEquals("a?[31mb???]0;title?c?d", Printable.text("a\u001b[31mb\u0007\t\u009d]0;title\u0007c\u202ed"));
        assertEquals("plain", Printable.text("plain"));
        dev.jfail.jmx.FailPointsMXBean evil = (dev.jfail.jmx.FailPointsMXBean) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {dev.jfail.jmx.FailPointsMXBean.class}, (proxy, method, args) -> {
                    if (method.getName().equals("get")) {
                        return "off\u001b[2J";
                    }
                    if (method.getName().equals("list")) {
                        return java.util.Map.of("p\u001b", "return(1)\r");
                    }
                    throw new IllegalArgumentException("bad\u0007 setting");
                });
        dev.jfail.jmx.FailPointsMXBean shown = Printable.failPoints(evil);
        assertEquals("off?[2J", shown.get("p"));
        assertEquals(java.util.Map.of("p?", "return(1)?"), shown.list());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> shown.set("p", "x"));
        assertEquals("bad? setting", e.getMessage());
    }
}
