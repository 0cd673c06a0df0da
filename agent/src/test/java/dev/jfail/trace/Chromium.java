package dev.jfail.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's headless chromium, as the tests of a page use it: the rendered DOM, and a screenshot. */
final class Chromium {

    private static final String[] CANDIDATES = {"chromium", "chromium-browser", "google-chrome"};

    private Chromium() {
    }

    static String binary() {
        String given = System.getProperty("jfail.chromium");
        if (given != null) {
            return given;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String c : CANDIDATES) {
                if (Files.isExecutable(Path.of(dir, c))) {
                    return Path.of(dir, c).toString();
                }
            }
        }
        throw new IllegalStateException("no chromium on the PATH: install it (apt-get install -y chromium;"
                + " .ci/run does) or give -Djfail.chromium=PATH");
    }

    /** The DOM after the page's scripts ran. */
    static String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, List.of("--dump-dom", "--window-size=1400,900"), null);
    }

    /** A PNG of the page as a 1400 x {@code height} window shows it. */
    static void screenshot(Path page, Path png, int height) throws IOException, InterruptedException {
        run(page, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1400," + height,
                "--hide-scrollbars"), png);
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IllegalStateException("chromium wrote no screenshot to " + png);
        }
    }

    private static String run(Path page, List<String> what, Path png) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("jfail-chromium");
        List<String> cmd = new ArrayList<>(List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--virtual-time-budget=3000"));
        cmd.addAll(what);
        cmd.add(page.toAbsolutePath().toUri().toString());
        Path out = Files.createTempFile("jfail-chromium", ".out");
        Path err = Files.createTempFile("jfail-chromium", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not finish in 120 s: " + String.join(" ", cmd));
            }
            String dom = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException("chromium exited " + p.exitValue() + ": "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return dom;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
