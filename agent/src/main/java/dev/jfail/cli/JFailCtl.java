package dev.jfail.cli;

import dev.jfail.core.FailPointRegistry;
import dev.jfail.core.Json;
import dev.jfail.core.Messages;
import dev.jfail.core.NameSuggestions;
import dev.jfail.core.ParsedSetting;
import dev.jfail.core.SettingList;
import dev.jfail.jmx.FailPointsMXBean;
import dev.jfail.jmx.PointStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.lang.reflect.UndeclaredThrowableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code java -jar jfail-agent.jar PID [debug.fail_point.]NAME[=SETTING] ...}: the sysctl of jfail.
 * Reaches a running JVM over its owner-only control socket (attaching to load the agent there if
 * needed), and lists, reads or sets its failpoints; {@code --jmx} goes through the JDK's local JMX
 * connector instead.
 */
@Command(name = "jfail",
        mixinStandardHelpOptions = true,
        versionProvider = JFailCtl.Version.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
                "Lists, reads and sets the failpoints of a running JVM, as sysctl debug.fail_point does on FreeBSD."
                        + " Talks to the jfail agent over a Unix domain socket that only the target's user (and root)"
                        + " can use, and opens no TCP port. Attaches by pid to load the agent when the target runs none"
                        + " (JDK 21+: start it with -javaagent, or -XX:+EnableDynamicAgentLoading)."},
        footer = {"",
                "Examples:",
                "  java -jar jfail-agent.jar 4242                                   list every point",
                "  java -jar jfail-agent.jar 4242 debug.fail_point.relock           read one",
                "  java -jar jfail-agent.jar 4242 relock='50%%sleep(10)' b=off       set (all or nothing)",
                "  java -jar jfail-agent.jar 4242 --json                            list as JSON",
                "  java -jar jfail-agent.jar 4242 --declare 'slow@com.foo.Client#fetch' slow=return(1)",
                "",
                "Exit status: 0 done, 1 refused or failed (one line on stderr), 2 bad usage."})
public final class JFailCtl implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PID", description = "the pid of the JVM")
    long pid;

    @Parameters(index = "1..*", paramLabel = "[debug.fail_point.]NAME[=SETTING]",
            description = "a point to read, or to set to SETTING (e.g. '50%%sleep(10)', '5*return(22)->off', off)")
    List<String> points = new ArrayList<>();

    @Option(names = "--json", description = "print the points as JSON (every point when none is named)")
    boolean json;

    @Option(names = {"-s", "--status"}, description = "print each point's sites and held threads with their stacks")
    boolean status;

    @Option(names = {"-n", "--values"}, description = "print only the settings, one a line (sysctl -n)")
    boolean valuesOnly;

    @Option(names = "--reset", description = "turn every point off and release paused threads, before the rest")
    boolean reset;

    @Option(names = "--declare", paramLabel = "NAME@CLASS#METHOD[(DESC)][:POSITION]|auto@CLASSES",
            description = "declare a point on a method without an annotation (third-party code), or the automatic"
                    + " points of a class or package (auto@com.acme.Pool, auto@com.acme.pool.*), before the rest")
    List<String> declarations = new ArrayList<>();

    @Option(names = "--agent", paramLabel = "JAR", description = "the agent jar to load if the target has none (default: this jar)")
    Path agentJar;

    @Option(names = "--force", description = "attach even to a process that jps does not list")
    boolean force;

    @Option(names = "--jmx", description = "go through the JDK's local JMX connector instead, which opens a TCP port"
            + " in the target (local clients only, no password) for the rest of its life")
    boolean jmx;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns its exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new JFailCtl());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            PrintWriter e = ex.getCommandLine().getErr();
            e.println("jfail: " + Messages.message(ex));
            e.println("Try 'java -jar jfail-agent.jar --help'.");
            e.flush();
            return 2;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            List<Entry> entries = points.stream().map(Entry::parse).toList();
            try (TargetJvm target = TargetJvm.connect(pid, Optional.ofNullable(agentJar), force, jmx)) {
                if (target.agentLoadedNow()) {
                    err.println("jfail: loaded the jfail agent into pid " + pid);
                }
                List<Shown> shown = apply(target.failPoints(), entries);
                warnAboutUndeclared(shown, target.failPoints(), err);
                if (shown.isEmpty() && !json) {
                    err.println("jfail: pid " + pid + " has no failpoints (no code loaded carries one, none is set)");
                }
                print(shown, out);
            }
            return 0;
        } catch (CliException e) {
            err.println("jfail: " + Printable.text(e.getMessage()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("jfail: pid " + pid + ": " + Printable.text(Messages.message(e)));
        } catch (UndeclaredThrowableException e) {
            err.println("jfail: pid " + pid + ": " + Printable.text(Messages.oneLine(e.getUndeclaredThrowable())));
        } catch (RuntimeException e) {
            err.println("jfail: pid " + pid + ": " + Printable.text(Messages.oneLine(e)));
        }
        return 1;
    }

    /** Declarations, reset, sets (one all-or-nothing batch), then the points to show. */
    private List<Shown> apply(FailPointsMXBean failPoints, List<Entry> entries) {
        if (!declarations.isEmpty()) {
            failPoints.declare(String.join(",", declarations));
        }
        if (reset) {
            failPoints.reset();
        }
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, Integer> pausedBefore = new LinkedHashMap<>();
        Map<String, String> batch = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (e.setting() != null) {
                before.putIfAbsent(e.name(), failPoints.get(e.name()));
                pausedBefore.putIfAbsent(e.name(), paused(failPoints.status(e.name())));
                batch.remove(e.name()); // the later argument wins, as in the list form
                batch.put(e.name(), e.setting());
            }
        }
        if (!batch.isEmpty()) {
            failPoints.setAll(SettingList.join(batch));
        }
        List<Shown> shown = new ArrayList<>();
        if (entries.isEmpty()) {
            failPoints.statusAll().forEach(p -> shown.add(new Shown(p, null, 0)));
        } else {
            for (Entry e : entries) {
                PointStatus now = failPoints.status(e.name());
                // a setting containing off releases every thread paused there (FreeBSD's rule), even if
                // one has not yet left the point as the status is read
                int released = e.setting() == null || !ParsedSetting.parse(e.setting()).releasesPaused()
                        ? 0 : pausedBefore.getOrDefault(e.name(), 0);
                shown.add(new Shown(now, e.setting() == null ? null : before.get(e.name()), released));
            }
        }
        return shown;
    }

    /**
     * A point set that no loaded code declares is set all the same (its class may load later), but
     * it is more often a typo: say so, with the closest declared names.
     */
    private static void warnAboutUndeclared(List<Shown> shown, FailPointsMXBean failPoints, PrintWriter err) {
        List<Shown> undeclared = shown.stream()
                .filter(s -> s.previous() != null && !s.status().isDeclared() && !"off".equals(s.status().getSetting()))
                .toList();
        if (undeclared.isEmpty()) {
            return;
        }
        List<String> declared = failPoints.statusAll().stream().filter(PointStatus::isDeclared).map(PointStatus::getName).toList();
        for (Shown s : undeclared) {
            err.println(NameSuggestions.undeclaredWarning(s.status().getName(), declared));
        }
    }

    private void print(List<Shown> shown, PrintWriter out) {
        if (json) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("pid", pid);
            doc.put("points", shown.stream().map(s -> PointText.json(s.status(), s.previous())).toList());
            out.println(Json.write(doc));
            return;
        }
        for (Shown s : shown) {
            PointStatus p = s.status();
            if (valuesOnly) {
                out.println(p.getSetting());
            } else if (status) {
                if (s.previous() != null) {
                    out.println(PointText.changed(p.getName(), s.previous(), p.getSetting()));
                }
                out.println(PointText.detailed(p));
            } else if (s.previous() != null) {
                out.println(PointText.changed(p.getName(), s.previous(), p.getSetting())
                        + (s.released() > 0 ? "  (released " + s.released() + " held thread" + (s.released() == 1 ? ")" : "s)") : ""));
            } else {
                out.println(PointText.line(p));
            }
        }
    }

    /** The threads paused at the point now (a setting containing {@code off} releases them). */
    private static int paused(PointStatus p) {
        return (int) p.getThreads().stream().filter(h -> "paused".equalsIgnoreCase(h.getState())).count();
    }

    /**
     * A point as shown, with the setting it had before this run set it (null when only read) and
     * how many threads held there the set released.
     */
    private record Shown(PointStatus status, String previous, int released) {
    }

    /** {@code [debug.fail_point.]NAME[=SETTING]}. */
    record Entry(String name, String setting) {
        static Entry parse(String argument) {
            int eq = argument.indexOf('=');
            String name = (eq < 0 ? argument : argument.substring(0, eq)).strip();
            try {
                name = FailPointRegistry.canonicalName(name);
            } catch (IllegalArgumentException e) {
                throw new CliException("'" + argument + "': " + e.getMessage() + "; expected [debug.fail_point.]NAME[=SETTING]");
            }
            return new Entry(name, eq < 0 ? null : argument.substring(eq + 1).strip());
        }
    }

    /** The version in the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = JFailCtl.class.getPackage().getImplementationVersion();
            return new String[] {"jfail " + (v == null ? "(development build)" : v)};
        }
    }
}
