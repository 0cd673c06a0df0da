package dev.jfail.kernel.runner;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class RacesCliTest {

    private static Ran run(String... args) {
        return Ran.run(args);
    }

    @Test
    void list_shows_every_race_with_variants_failpoints_and_params() {
        Ran r = run("list");
        assertEquals(0, r.status());
        assertTrue(r.out().contains("collapse  vm_object_collapse vs vm_fault"), r.out());
        assertTrue(r.out().contains("sendfile  sendfile over FUSE deadlock"), r.out());
        assertTrue(r.out().contains("unlock_and_deallocate_relock=50%sleep(10);vmob_scan_rename_unlock=20%return(1)"), r.out());
        assertTrue(r.out().contains("--param f_iosize=65536  (4096..1048576)"), r.out());
    }

    @Test
    void list_json_is_json() {
        Ran r = run("list", "--json");
        assertEquals(0, r.status());
        assertTrue(r.out().startsWith("{\"races\":[{\"id\":\"collapse\""), r.out());
        assertTrue(r.out().contains("\"presetSettings\":{\"failpoints\":{\"unlock_and_deallocate_relock\":\"50%sleep(10)\""), r.out());
    }

    @Test
    void run_prints_a_summary_per_race_and_variant() {
        Ran r = run("run", "collapse", "sendfile", "-n", "3", "--failpoints", "none", "--quiet");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("== collapse/buggy: 3 runs, failpoints none"), r.out());
        assertTrue(r.out().matches("(?s).*collapse\\s+fixed\\*\\s+none\\s+3\\s+0\\s.*"), r.out());
        assertTrue(r.out().matches("(?s).*sendfile\\s+buggy\\s+none\\s+3\\s.*"), r.out());
    }

    @Test
    void run_json_has_the_counts() {
        Ran r = run("run", "collapse", "--variant", "fixed", "-n", "2", "--failpoints", "none", "--json", "--quiet");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\"race\":\"collapse\",\"variant\":\"fixed\",\"fixed\":true"), r.out());
        assertTrue(r.out().contains("\"runs\":2,\"failures\":0"), r.out());
    }

    @Test
    void each_run_is_a_fresh_boot_so_a_counted_setting_acts_in_every_run() {
        // armed once per batch, 1*panic was used up by the first run: 1 failure of 5
        Ran r = run("run", "md-bitmap", "--variant", "buggy", "-n", "5", "--failpoints", "super_written_delay=1*panic",
                "--json", "--quiet");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\"runs\":5,\"failures\":5,\"failuresByKind\":{\"PANIC\":5}"), r.out());
        // and after the batch every point is off again
        assertEquals("off", dev.jfail.FailPoints.get("super_written_delay"));
    }

    @Test
    void a_fresh_jvm_runs_the_preset_settings_without_a_warning_about_undeclared_points() throws Exception {
        // as a user runs it: a fresh JVM, where the race's classes (its points' declarations) load only
        // during its first run, after the runner armed them; the facade's typo warning fired there
        String agent = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-javaagent:")).findFirst()
                .orElseThrow(() -> new AssertionError("run with surefire's -javaagent"));
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                agent, "-cp", System.getProperty("java.class.path"), RacesCli.class.getName(),
                "run", "md-bitmap", "collapse", "-n", "2", "--quiet")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(100, java.util.concurrent.TimeUnit.SECONDS), "the runner ended");
        assertEquals(0, p.exitValue(), err);
        assertEquals("", err);
    }

    @Test
    void bad_usage_is_one_clear_line_and_status_2() {
        assertBad(run("run", "nosuchrace"), "unknown race 'nosuchrace'; races: collapse");
        assertBad(run("run", "collapse", "--variant", "vref"), "race collapse has no variant 'vref'");
        assertBad(run("run", "collapse", "--failpoints", "vmob_scan_rename_unlock=20%retrun(1)"), "--failpoints:");
        assertBad(run("run", "collapse", "--failpoints", "no_such_point=off"), "unknown failpoint 'no_such_point'");
        assertBad(run("run", "collapse", "--failpoints", "vmob_scan_rename_unlock"), "has no '='");
        assertBad(run("run", "collapse", "--param", "f_iosize=4096"), "race collapse has no parameter 'f_iosize'");
        assertBad(run("run", "sendfile", "--param", "f_iosize=banana", "-n", "1"), "param f_iosize=banana: not a number");
        assertBad(run("run", "--time-limit", "soon"), "--time-limit: 'soon' is not a duration");
        assertBad(run("run", "--failpoints", "seed"), "called 'preset' now; the random seed is --seed");
        assertBad(run("run", "--seed", "0"), "--seed must not be 0");
        // every parameter is checked before anything runs: nothing of sendfile's batches is printed
        Ran twoRaces = run("run", "sendfile", "collapse", "--param", "pages=1500", "-n", "1");
        assertBad(twoRaces, "param pages=1500: must be in [1, 1024]");
        assertEquals("", twoRaces.out());
        assertBad(run("run", "sendfile", "--param", "f_iosize=5000"), "must be a multiple of 4096");
        assertBad(run("run", "-n", "0"), "--iterations must be at least 1");
        assertBad(run("frobnicate"), "Unmatched argument");
    }

    private static void assertBad(Ran r, String expected) {
        assertEquals(2, r.status(), r.out() + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertTrue(r.err().lines().count() <= 2, "one line and a hint: " + r.err());
    }

    @Test
    void with_no_command_the_tour_plays_every_race_buggy_then_fixed() {
        Ran r = run("--scale", "0.005", "--quiet");
        assertEquals(0, r.status(), r.out() + r.err());
        for (dev.jfail.kernel.race.Race race : dev.jfail.kernel.race.Races.all()) {
            assertTrue(r.out().contains("== " + race.id() + "/"), race.id() + " in " + r.out());
        }
        assertTrue(r.out().matches("(?s).*collapse\\s+buggy\\s+none\\s+5\\s.*"), r.out());
        assertTrue(r.out().matches("(?s).*collapse\\s+buggy\\s+preset\\s.*"), r.out());
        assertTrue(r.out().matches("(?s).*collapse\\s+fixed\\*\\s+preset\\s.*"), r.out());
        assertTrue(r.out().contains("\ncollapse: buggy fails "), r.out());
        assertTrue(r.out().contains("with the preset settings (cem's, in D4103)"), r.out());
        assertTrue(r.out().contains("\nswapoff: buggy fails "), r.out());
        assertTrue(r.out().contains("with the preset settings (the project's own)"), r.out());
        assertBad(run("--scale", "-1"), "--scale must be in (0, 1000]");
    }

    @Test
    void help_everywhere() {
        assertEquals(0, run("--help").status());
        Ran list = run("list", "--help");
        assertEquals(0, list.status());
        assertTrue(list.out().contains("Usage: jfail-races list"), list.out());
        Ran runHelp = run("run", "--help");
        assertTrue(runHelp.out().contains("--failpoints=SETTINGS"), runHelp.out());
        Ran helpRun = run("help", "run");
        assertEquals(0, helpRun.status());
        assertEquals(runHelp.out(), helpRun.out(), "'help run' is 'run --help'");
    }

    @Test
    void help_formats_its_settings_without_picocli_warnings() {
        java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.err;
        System.setErr(new java.io.PrintStream(stderr, true));
        Ran runHelp;
        try {
            runHelp = run("run", "--help");
        } finally {
            System.setErr(saved);
        }
        assertTrue(runHelp.out().contains("'vmob_scan_rename_unlock=20%return(1)'"), runHelp.out());
        assertEquals("", stderr.toString(), "a '%' in the help must be escaped as '%%'");
    }
}
