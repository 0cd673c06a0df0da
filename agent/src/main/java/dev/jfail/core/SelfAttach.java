package dev.jfail.core;

import dev.jfail.agent.JFailAgent;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * Makes sure the agent runs in this JVM before a test relies on it: the extensions and the hold API
 * call {@link #ensureAgent()}. Without the agent no failpoint is ever reached, and a hold would
 * only wait and time out; so when it is missing it is loaded from the jar jfail's classes came
 * from, with the attach API (one line on stderr says so), or, when that is impossible, every caller
 * fails at once with one line naming the agent and the Maven plugin that attaches it at start.
 *
 * <p>JDK 9+ refuses an attach to the JVM itself unless {@code -Djdk.attach.allowAttachSelf=true};
 * then a short-lived helper JVM ({@link #main(String[])}, from the same jar) does it, as ByteBuddy's
 * {@code ByteBuddyAgent.install()} does.
 */
public final class SelfAttach {

    /** What a user adds to a Maven pom so that the agent is there from the start (with this jfail's version when known). */
    public static String pluginSnippet() {
        String version = SelfAttach.class.getPackage().getImplementationVersion();
        return "<plugin><groupId>dev.jfail</groupId><artifactId>jfail-maven-plugin</artifactId>"
                + (version == null ? "" : "<version>" + version + "</version>")
                + "<executions><execution><goals><goal>prepare-agent</goal></goals></execution></executions></plugin>";
    }

    private static final long HELPER_SECONDS = 30;

    /** Why the agent could not be loaded, once it failed; every later caller fails with it at once. */
    private static volatile String failure;

    private SelfAttach() {
    }

    /** Whether the agent runs in this JVM (for these classes). */
    public static boolean agentLoaded() {
        return JFailAgent.installed();
    }

    /** Returns once the agent runs in this JVM; otherwise throws an {@link IllegalStateException} with one line. */
    public static synchronized void ensureAgent() {
        if (JFailAgent.installed()) {
            return;
        }
        if (failure == null) {
            failure = attach();
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** When the plugin ran but its line never reached the JVM, a pom's own surefire/failsafe {@code <argLine>} dropped it. */
    static final String ARG_LINE_HINT = "; if the plugin is there, the pom's own surefire/failsafe <argLine> must include @{argLine}"
            + " (<argLine>@{argLine} -Xmx1g</argLine>)";

    /** Null once loaded, else the one line to fail with. */
    private static String attach() {
        Path jar = agentJar();
        if (jar == null) {
            return missing("jfail's classes come from " + location() + ", not from the agent jar, so it cannot be loaded from there");
        }
        String pid = Long.toString(ProcessHandle.current().pid());
        try {
            if (Boolean.getBoolean("jdk.attach.allowAttachSelf") && ModuleLayer.boot().findModule("jdk.attach").isPresent()) {
                load(pid, jar.toString());
            } else {
                String problem = viaHelper(pid, jar);
                if (problem != null) {
                    return missing(problem);
                }
            }
        } catch (Exception | LinkageError e) {
            return missing("loading it failed: " + e);
        }
        if (!JFailAgent.installed()) {
            return missing("it was loaded from " + jar + " but does not run for these classes (another copy of jfail is on the class path?)");
        }
        System.err.println("jfail: loaded the agent into this JVM from " + jar + " (no -javaagent was given); the"
                + " jfail-maven-plugin's prepare-agent goal attaches it at start and avoids JDK 21+'s warning about dynamically loaded agents"
                + ARG_LINE_HINT);
        return null;
    }

    private static String missing(String why) {
        return "jfail: the jfail agent is not loaded in this JVM and " + why + "; add to the pom's <build><plugins> "
                + pluginSnippet() + " (or run the tests with -javaagent:path/to/jfail-agent.jar)" + ARG_LINE_HINT;
    }

    /** Runs {@code java -cp JAR dev.jfail.core.SelfAttach PID} with this JVM's java; null when it loaded the agent. */
    private static String viaHelper(String pid, Path jar) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", jar.toString(), SelfAttach.class.getName(), pid, jar.toString())
                .redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        Process helper = builder.start();
        if (!helper.waitFor(HELPER_SECONDS, TimeUnit.SECONDS)) {
            helper.destroyForcibly();
            return "the helper JVM that loads it did not finish within " + HELPER_SECONDS + " s";
        }
        String output = new String(helper.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return helper.exitValue() == 0 ? null : "the attach API could not load it (" + (output.isEmpty() ? "exit " + helper.exitValue() : output.lines().findFirst().orElse("")) + ")";
    }

    /** The helper JVM's entry point: {@code PID JAR}; exit 0 once the agent is loaded into PID. */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: java -cp jfail-agent.jar " + SelfAttach.class.getName() + " PID AGENT_JAR");
            System.exit(2);
        }
        try {
            load(args[0], args[1]);
        } catch (Exception e) {
            System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            System.exit(1);
        }
    }

    private static void load(String pid, String jar) throws Exception {
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(pid);
        try {
            vm.loadAgent(jar, "");
        } finally {
            vm.detach();
        }
    }

    /** The jar jfail's classes come from, if it is the agent jar (its manifest names the agent class), else null. */
    static Path agentJar() {
        Path path = codeSource();
        if (path == null || !Files.isRegularFile(path)) {
            return null;
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            String agentClass = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Agent-Class");
            return JFailAgent.class.getName().equals(agentClass) ? path : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Path codeSource() {
        try {
            CodeSource source = SelfAttach.class.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static String location() {
        Path path = codeSource();
        return path == null ? "an unknown place" : path + (Files.isDirectory(path) ? File.separator : "");
    }
}
