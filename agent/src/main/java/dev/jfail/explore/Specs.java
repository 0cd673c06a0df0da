package dev.jfail.explore;

import dev.jfail.core.JvmPoint;
import dev.jfail.core.SettingList;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The ready-to-paste tests an exploration hands back: a Spock feature and a JUnit 5 test that set
 * the shrunk setting ({@code @WithFailPoints}, and holds for orders a setting cannot say), run the
 * workload and assert the symptom does not show. They fail while the bug is there (repeated enough
 * times that a setting showing it in a share r of runs fails the test with 99% odds) and pass once
 * it is fixed: the regression test of the fix.
 */
public final class Specs {

    /**
     * What the tests run, as source text valid in both Java and Groovy.
     *
     * @param title    the test's name, in words
     * @param imports  fully qualified classes the code uses
     * @param workload an expression: one run of the workload, whose value is the result
     * @param symptom  a boolean expression over {@code result}: true when the bug shows; null when the
     *                 workload checks for itself (it throws when the bug shows, as an {@code @Explore} test's body)
     */
    public record Code(String title, List<String> imports, String workload, String symptom) {
        public Code {
            imports = List.copyOf(imports);
        }
    }

    private Specs() {
    }

    /** Runs needed so that a setting showing the symptom in a share {@code rate} of runs shows it in one of them with 99% odds (1 to 200). */
    public static int repeats(double rate) {
        if (rate >= 1) {
            return 1;
        }
        if (rate <= 0) {
            return 200;
        }
        return (int) Math.max(1, Math.min(200, Math.ceil(Math.log(0.01) / Math.log(1 - rate))));
    }

    /** The Spock feature (with its imports as a comment block above it). */
    public static String spock(Exploration e, Code code) {
        Candidate c = e.shrunk();
        Handles h = new Handles(e);
        int n = repeats(e.rate());
        StringBuilder sb = new StringBuilder();
        sb.append(importsComment(code, List.of("dev.jfail.spock.WithFailPoints", "dev.jfail.spock.Seed")));
        sb.append("    // found by jfail's explorer: ").append(rateText(e)).append('\n');
        sb.append(h.comment());
        annotations(sb, c, e, "'", "L");
        sb.append("    def \"").append(code.title().replace("\"", "\\\"")).append(n > 1 ? " (run #run)" : "").append("\"() {\n");
        if (c.needsHolds() || h.any()) {
            sb.append("        given:\n");
            h.settings(sb, e, "'", "");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < c.orders().size(); i++) {
                Order o = c.orders().get(i);
                if (h.local(o.hold())) {
                    sb.append("        def held").append(i).append(" = holdAt('").append(o.hold()).append("'")
                            .append(o.crossing() > 1 ? ", passing: " + (o.crossing() - 1) : "").append(")\n");
                } else {
                    sb.append("        def held").append(i).append(" = ").append(h.handle(o.hold())).append(".holdAt('")
                            .append(h.bare(o.hold())).append("', 1, ").append(o.crossing() - 1).append(")\n");
                }
                if (h.local(o.until())) {
                    sb.append("        def reached").append(i).append(" = watch('").append(o.until()).append("')\n");
                } else {
                    sb.append("        ").append(h.handle(o.until())).append(".set('").append(h.bare(o.until())).append("', '")
                            .append(Reach.COUNTING).append("')\n");
                }
                names.add(String.valueOf(i));
            }
            sb.append('\n');
        }
        if (c.needsHolds()) {
            sb.append("        when:\n        def run = background('workload') { ").append(code.workload()).append(" }\n");
            for (int i = 0; i < c.orders().size(); i++) {
                String until = c.orders().get(i).until();
                sb.append("        held").append(i).append(".awaitHeld()\n        ")
                        .append(h.local(until) ? "reached" + i + ".awaitHits(1)"
                                : h.handle(until) + ".awaitFired('" + h.bare(until) + "', 1)")
                        .append("\n        held").append(i).append(".release()\n");
            }
            sb.append("        def result = run.await()\n");
        } else {
            sb.append("        when:\n        def result = ").append(code.workload()).append('\n');
        }
        sb.append(code.symptom() == null ? "\n        then: 'no failure'\n        noExceptionThrown()\n"
                : "\n        then: 'the symptom does not show'\n        !(" + code.symptom() + ")\n");
        if (h.any()) {
            sb.append("\n        cleanup:\n");
            for (String v : h.used()) {
                sb.append("        ").append(v).append(".reset()\n");
            }
        }
        if (n > 1) {
            sb.append("\n        where:\n        run << (1..").append(n).append(")\n");
        }
        sb.append("    }\n");
        return sb.toString();
    }

    /** The JUnit 5 test (with its imports as a comment block above it). */
    public static String junit(Exploration e, Code code) {
        Candidate c = e.shrunk();
        Handles h = new Handles(e);
        int n = repeats(e.rate());
        StringBuilder sb = new StringBuilder();
        List<String> own = new ArrayList<>(List.of("dev.jfail.junit.WithFailPoints", "dev.jfail.junit.Seed",
                n > 1 ? "org.junit.jupiter.api.RepeatedTest" : "org.junit.jupiter.api.Test",
                "static org.junit.jupiter.api.Assertions.assertFalse"));
        if (c.needsHolds()) {
            own.addAll(List.of("dev.jfail.FailPoints", "dev.jfail.Hold", "java.util.concurrent.CompletableFuture"));
        }
        if (code.symptom() == null) {
            own.remove("static org.junit.jupiter.api.Assertions.assertFalse");
        }
        sb.append(importsComment(code, own));
        sb.append("    // found by jfail's explorer: ").append(rateText(e)).append('\n');
        sb.append(h.comment());
        sb.append(n > 1 ? "    @RepeatedTest(" + n + ")\n" : "    @Test\n");
        annotations(sb, c, e, "\"", "L");
        sb.append("    void ").append(methodName(code.title())).append("() throws Exception {\n");
        String in = h.any() ? "            " : "        ";
        h.settings(sb, e, "\"", ";");
        if (h.any()) {
            sb.append("        try {\n");
        }
        if (c.needsHolds()) {
            for (int i = 0; i < c.orders().size(); i++) {
                Order o = c.orders().get(i);
                sb.append(in).append("Hold held").append(i).append(" = ").append(h.handle(o.hold())).append(".holdAt(\"")
                        .append(h.bare(o.hold())).append("\", 1, ").append(o.crossing() - 1).append(");\n");
                sb.append(in).append(h.handle(o.until())).append(".set(\"").append(h.bare(o.until())).append("\", \"")
                        .append(Reach.COUNTING).append("\");\n");
            }
            sb.append(in).append(code.symptom() == null ? "var run = CompletableFuture.runAsync(() -> "
                    : "var run = CompletableFuture.supplyAsync(() -> ").append(code.workload()).append(");\n");
            for (int i = 0; i < c.orders().size(); i++) {
                String until = c.orders().get(i).until();
                sb.append(in).append("held").append(i).append(".awaitHeld();\n").append(in).append(h.handle(until))
                        .append(".awaitFired(\"").append(h.bare(until)).append("\", 1);\n").append(in)
                        .append("held").append(i).append(".release();\n");
            }
            sb.append(in).append(code.symptom() == null ? "run.join();\n" : "var result = run.join();\n");
        } else {
            sb.append(in).append(code.symptom() == null ? "" : "var result = ").append(code.workload()).append(";\n");
        }
        if (code.symptom() != null) {
            sb.append(in).append("assertFalse(").append(code.symptom()).append(", \"the symptom jfail's explorer found\");\n");
        }
        if (h.any()) {
            sb.append("        } finally {\n");
            for (String v : h.used()) {
                sb.append("            ").append(v).append(".reset();\n");
            }
            sb.append("        }\n");
        }
        sb.append("    }\n");
        return sb.toString();
    }

    /**
     * The handles a hand-back uses for points of other JVMs: a variable per JVM ({@code follower} for
     * {@code follower:follower_apply}), {@code FailPoints} for this JVM's own points.
     */
    private static final class Handles {

        private final Map<String, String> jvms;
        private final Candidate c;
        private final Map<String, Map<String, String>> settings = new LinkedHashMap<>();
        private final Set<String> used = new LinkedHashSet<>();

        Handles(Exploration e) {
            this.jvms = e.jvms();
            this.c = e.shrunk();
            c.settings().forEach((point, setting) -> {
                JvmPoint p = JvmPoint.of(point, jvms.keySet());
                if (!p.local()) {
                    settings.computeIfAbsent(p.jvm(), q -> new LinkedHashMap<>()).put(p.point(), setting);
                    used.add(variable(p.jvm()));
                }
            });
            for (Order o : c.orders()) {
                for (String point : List.of(o.hold(), o.until())) {
                    JvmPoint p = JvmPoint.of(point, jvms.keySet());
                    if (!p.local()) {
                        used.add(variable(p.jvm()));
                    }
                }
            }
        }

        /** Whether it uses any other JVM. */
        boolean any() {
            return !used.isEmpty();
        }

        List<String> used() {
            return List.copyOf(used);
        }

        boolean local(String point) {
            return JvmPoint.of(point, jvms.keySet()).local();
        }

        /** {@code FailPoints}, or the variable of the handle of the point's JVM. */
        String handle(String point) {
            JvmPoint p = JvmPoint.of(point, jvms.keySet());
            return p.local() ? "FailPoints" : variable(p.jvm());
        }

        /** The point's name in its own JVM. */
        String bare(String point) {
            return JvmPoint.of(point, jvms.keySet()).point();
        }

        static String variable(String qualifier) {
            return methodName(qualifier);
        }

        /** "// follower, leader: the handles (dev.jfail.Jvm) of the JVMs named follower and leader ...". */
        String comment() {
            if (!any()) {
                return "";
            }
            List<String> names = new ArrayList<>();
            jvms.forEach((q, name) -> {
                if (used.contains(variable(q))) {
                    names.add(variable(q) + " = the JVM named \"" + name + "\"");
                }
            });
            return "    // handles (dev.jfail.Jvm, from FailPoints.launcher(...).name(...).start() or FailPoints.jvm(pid)), open"
                    + " while the test runs: " + String.join(", ", names) + "\n";
        }

        /** Each other JVM's settings on its handle ({@code follower.setAll("...")}), its seed where a setting rolls. */
        void settings(StringBuilder sb, Exploration e, String quote, String end) {
            settings.forEach((q, part) -> {
                String list = SettingList.join(part);
                sb.append("        ").append(variable(q)).append(".setAll(").append(quote).append(list).append(quote)
                        .append(")").append(end).append('\n');
                if (list.contains("%") && e.seed() != null) {
                    sb.append("        ").append(variable(q)).append(".seed(").append(e.seed()).append("L)").append(end).append('\n');
                }
            });
        }
    }

    /** The settings of this JVM's points (those of other JVMs go on their handles). */
    public static String localFailpoints(Exploration e) {
        Map<String, String> local = new LinkedHashMap<>();
        e.shrunk().settings().forEach((point, setting) -> {
            if (JvmPoint.of(point, e.jvms().keySet()).local()) {
                local.put(point, setting);
            }
        });
        return SettingList.join(local);
    }

    private static void annotations(StringBuilder sb, Candidate c, Exploration e, String quote, String longSuffix) {
        sb.append(withFailPoints(e, quote));
        if (localFailpoints(e).contains("%") && e.seed() != null) {
            sb.append("    @Seed(").append(e.seed()).append(longSuffix).append(")\n");
        }
    }

    private static String rateText(Exploration e) {
        return String.format(Locale.ROOT, "shows the symptom in %d of %d runs", e.rateHits(), e.rateRuns())
                + (e.finding() != null ? " (" + e.finding().text() + ")" : "")
                + (e.plainRuns() > 0 ? "; " + e.plainRate() : "");
    }

    private static String importsComment(Code code, List<String> own) {
        List<String> all = new ArrayList<>(own);
        all.addAll(code.imports());
        StringBuilder sb = new StringBuilder("    // imports: ");
        sb.append(String.join(", ", all)).append('\n');
        return sb.toString();
    }

    /** "collapse/original: no symptom" as {@code collapseOriginalNoSymptom}. */
    static String methodName(String title) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char ch : title.toCharArray()) {
            if (Character.isLetterOrDigit(ch)) {
                sb.append(sb.length() == 0 ? Character.toLowerCase(ch) : upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            } else {
                upper = true;
            }
        }
        if (sb.length() == 0 || !Character.isJavaIdentifierStart(sb.charAt(0))) {
            sb.insert(0, "explored");
        }
        return sb.toString();
    }

    /**
     * {@code @WithFailPoints("a=sleep(1)")}, with {@code points = "a@com.acme.Pool#take()V:entry,..."}
     * for the points that were declared, not annotated (the JUnit and Spock annotations say it
     * alike); empty when no setting is needed.
     */
    public static String withFailPoints(Exploration e, String quote) {
        String local = localFailpoints(e);
        if (local.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("    @WithFailPoints(");
        if (e.declarations().isEmpty()) {
            sb.append(quote).append(local).append(quote);
        } else {
            sb.append("value = ").append(quote).append(local).append(quote)
                    .append(", points = ").append(quote).append(e.points()).append(quote);
        }
        return sb.append(")\n").toString();
    }
}
