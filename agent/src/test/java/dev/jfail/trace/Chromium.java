package dev.jfail.trace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Debian's headless chromium, as the tests of a page use it: the rendered DOM, and a screenshot. */
public final class Chromium {

    private static final String[] CANDIDATES = {"chromium", "chromium-browser", "google-chrome"};

    private Chromium() {
    }

    /**
     * The browser: {@code -Djfail.chromium=PATH}, else the first on the PATH; on a Debian machine
     * without one, the tests install Debian's {@code chromium} themselves when they run as root
     * (as {@code .ci/run} does), so the README's test command works on a fresh machine.
     */
    public static synchronized String binary() throws IOException, InterruptedException {
        String given = System.getProperty("jfail.chromium");
        if (given != null) {
            return given;
        }
        String found = onPath();
        if (found == null && Files.isExecutable(Path.of("/usr/bin/apt-get")) && "root".equals(System.getProperty("user.name"))) {
            Path log = Files.createTempFile("jfail-chromium-install", ".log");
            Process p = new ProcessBuilder("sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.destroyForcibly();
            }
            found = onPath();
            if (found == null) {
                throw new IllegalStateException("could not install chromium (apt-get install -y chromium): see " + log);
            }
        }
        if (found == null) {
            throw new IllegalStateException("no chromium on the PATH: install it (apt-get install -y chromium;"
                    + " .ci/run does) or give -Djfail.chromium=PATH");
        }
        return found;
    }

    private static String onPath() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            for (String c : CANDIDATES) {
                if (Files.isExecutable(Path.of(dir, c))) {
                    return Path.of(dir, c).toString();
                }
            }
        }
        return null;
    }

    /** The DOM after the page's scripts ran. */
    public static String dumpDom(Path page) throws IOException, InterruptedException {
        return run(page, List.of("--dump-dom", "--window-size=1400,900"), null);
    }

    /** A PNG of the page as a 1400 x {@code height} window shows it. */
    public static void screenshot(Path page, Path png, int height) throws IOException, InterruptedException {
        run(page, List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=1400," + height,
                "--hide-scrollbars"), png);
        if (!Files.isRegularFile(png) || Files.size(png) == 0) {
            throw new IllegalStateException("chromium wrote no screenshot to " + png);
        }
    }

    /**
     * The {@code attr} of every {@code element} of class {@code cls} in a dumped DOM (the page adds
     * {@code hit} to the class of what answers hover and click), in document order.
     */
    public static List<String> attributes(String dom, String element, String cls, String attr) {
        Matcher m = Pattern.compile("<" + element + " [^>]*class=\"" + Pattern.quote(cls) + "(?: hit)?\"[^>]*>").matcher(dom);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            Matcher a = Pattern.compile(attr + "=\"([^\"]*)\"").matcher(m.group());
            out.add(a.find() ? a.group(1) : null);
        }
        return out;
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
