package dev.jfail.explore;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
     * @param symptom  a boolean expression over {@code result}: true when the bug shows
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
        int n = repeats(e.rate());
        StringBuilder sb = new StringBuilder();
        sb.append(importsComment(code, List.of("dev.jfail.spock.WithFailPoints", "dev.jfail.spock.Seed")));
        sb.append("    // found by jfail's explorer: ").append(rateText(e)).append('\n');
        annotations(sb, c, e, "'", "L");
        sb.append("    def \"").append(code.title().replace("\"", "\\\"")).append(n > 1 ? " (run #run)" : "").append("\"() {\n");
        if (c.needsHolds()) {
            sb.append("        given:\n");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < c.orders().size(); i++) {
                Order o = c.orders().get(i);
                sb.append("        def held").append(i).append(" = holdAt('").append(o.hold()).append("'")
                        .append(o.crossing() > 1 ? ", passing: " + (o.crossing() - 1) : "").append(")\n");
                sb.append("        def reached").append(i).append(" = watch('").append(o.until()).append("')\n");
                names.add(String.valueOf(i));
            }
            sb.append("\n        when:\n        def run = background('workload') { ").append(code.workload()).append(" }\n");
            for (String i : names) {
                sb.append("        held").append(i).append(".awaitHeld()\n        reached").append(i)
                        .append(".awaitHits(1)\n        held").append(i).append(".release()\n");
            }
            sb.append("        def result = run.await()\n");
        } else {
            sb.append("        when:\n        def result = ").append(code.workload()).append('\n');
        }
        sb.append("\n        then: 'the symptom does not show'\n        !(").append(code.symptom()).append(")\n");
        if (n > 1) {
            sb.append("\n        where:\n        run << (1..").append(n).append(")\n");
        }
        sb.append("    }\n");
        return sb.toString();
    }

    /** The JUnit 5 test (with its imports as a comment block above it). */
    public static String junit(Exploration e, Code code) {
        Candidate c = e.shrunk();
        int n = repeats(e.rate());
        StringBuilder sb = new StringBuilder();
        List<String> own = new ArrayList<>(List.of("dev.jfail.junit.WithFailPoints", "dev.jfail.junit.Seed",
                n > 1 ? "org.junit.jupiter.api.RepeatedTest" : "org.junit.jupiter.api.Test",
                "static org.junit.jupiter.api.Assertions.assertFalse"));
        if (c.needsHolds()) {
            own.addAll(List.of("dev.jfail.FailPoints", "dev.jfail.Hold", "java.util.concurrent.CompletableFuture"));
        }
        sb.append(importsComment(code, own));
        sb.append("    // found by jfail's explorer: ").append(rateText(e)).append('\n');
        sb.append(n > 1 ? "    @RepeatedTest(" + n + ")\n" : "    @Test\n");
        annotations(sb, c, e, "\"", "L");
        sb.append("    void ").append(methodName(code.title())).append("() throws Exception {\n");
        if (c.needsHolds()) {
            for (int i = 0; i < c.orders().size(); i++) {
                Order o = c.orders().get(i);
                sb.append("        Hold held").append(i).append(" = FailPoints.holdAt(\"").append(o.hold()).append("\", 1, ")
                        .append(o.crossing() - 1).append(");\n");
                sb.append("        FailPoints.set(\"").append(o.until()).append("\", \"").append(Reach.COUNTING).append("\");\n");
            }
            sb.append("        var run = CompletableFuture.supplyAsync(() -> ").append(code.workload()).append(");\n");
            for (int i = 0; i < c.orders().size(); i++) {
                sb.append("        held").append(i).append(".awaitHeld();\n        FailPoints.awaitFired(\"")
                        .append(c.orders().get(i).until()).append("\", 1);\n        held").append(i).append(".release();\n");
            }
            sb.append("        var result = run.join();\n");
        } else {
            sb.append("        var result = ").append(code.workload()).append(";\n");
        }
        sb.append("        assertFalse(").append(code.symptom()).append(", \"the symptom jfail's explorer found\");\n");
        sb.append("    }\n");
        return sb.toString();
    }

    private static void annotations(StringBuilder sb, Candidate c, Exploration e, String quote, String longSuffix) {
        sb.append(TestExploration.withFailPoints(e, quote));
        if (c.failpoints().contains("%") && e.seed() != null) {
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
}
