package dev.jfail.kernel.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code jfail-races explore}, run in-process with the agent the tests run with. */
@Timeout(300)
class ExploreCommandTest {

    private static Ran run(String... args) {
        return Ran.run(args);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\"(?:[^\"\\\\]|\\\\.)*\"|[^,}]*)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }

    @Test
    void finds_the_uvn_race_from_its_points_alone_and_the_setting_it_hands_back_reproduces_it_with_run() {
        Ran found = run("explore", "uvn", "--budget", "60s", "--seed", "5", "--json", "--quiet");
        assertEquals(0, found.status(), found.err());
        assertEquals("true", field(found.out(), "found"));
        assertEquals("\"original\"", field(found.out(), "variant"));
        String failpoints = field(found.out(), "failpoints").replaceAll("^\"|\"$", "");
        String seed = field(found.out(), "seed");
        assertTrue(failpoints.matches("[a-z_]+=.+"), failpoints);
        assertTrue(field(found.out(), "spec").contains("@WithFailPoints('" + failpoints + "')"), found.out());

        Ran replay = run("run", "uvn", "--variant", "original", "-n", "10", "--seed", seed, "--failpoints", failpoints, "--json", "--quiet");
        assertEquals(0, replay.status(), replay.err());
        assertTrue(Integer.parseInt(field(replay.out(), "failures")) >= 1, replay.out());
    }

    @Test
    void a_fixed_variant_gives_no_false_alarm_and_says_what_was_tried() {
        Ran r = run("explore", "md-bitmap", "--variant", "fixed", "--budget", "8s", "--seed", "3", "--quiet");
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("nothing found: no symptom in "), r.out());
        assertTrue(r.out().contains("tried {none=2, "), r.out());
    }

    @Test
    void the_text_output_has_the_setting_its_rate_a_replay_line_the_first_failure_and_both_tests() {
        Ran r = run("explore", "md-bitmap", "--budget", "60s", "--seed", "3", "--quiet");
        assertEquals(0, r.status(), r.err());
        for (String part : new String[] {"first failure after ", "shrunk to: FAILPOINTS='", "runs (", "replay: java -jar ",
                "--- the first failure (run ", "--- a Spock feature", "--- a JUnit 5 test:", "Races.byId(\"md-bitmap\").runOnce("}) {
            assertTrue(r.out().contains(part), part + " in " + r.out());
        }
    }

    @Test
    void bad_usage_is_one_line_and_status_2() {
        for (String[] args : new String[][] {
                {"explore", "nosuchrace"}, {"explore", "uvn", "--variant", "nosuch"}, {"explore", "uvn", "--budget", "soon"},
                {"explore", "uvn", "--points", "uvn_io_unlokced"}, {"explore", "uvn", "--strategies", "luck"}}) {
            Ran r = run(args);
            assertEquals(2, r.status(), String.join(" ", args) + ": " + r.out() + r.err());
            assertTrue(r.err().startsWith("explore: "), r.err());
        }
        Ran typo = run("explore", "uvn", "--points", "uvn_io_unlokced", "--budget", "5s");
        assertTrue(typo.err().contains("did you mean uvn_io_unlocked"), typo.err());
    }

    @Test
    void json_is_parseable_with_the_promised_fields() {
        Ran r = run("explore", "md-bitmap", "--budget", "60s", "--seed", "3", "--json", "--quiet");
        assertEquals(0, r.status(), r.err());
        for (String name : new String[] {"race", "variant", "found", "seconds", "runs", "failpoints", "seed", "rate", "spec"}) {
            field(r.out(), name);
        }
        assertTrue(r.out().startsWith("{\"race\":\"md-bitmap\",\"variant\":\"buggy\",\"found\":true,\"seconds\":"), r.out());
    }
}
