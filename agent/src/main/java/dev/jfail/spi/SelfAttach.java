package dev.jfail.spi;

import dev.jfail.agent.AgentJar;
import dev.jfail.agent.JFailAgent;
import dev.jfail.core.Messages;
import net.bytebuddy.agent.ByteBuddyAgent;

import java.nio.file.Path;

/**
 * Makes sure the agent runs in this JVM before a test relies on it: the extensions and the hold API
 * call {@link #ensureAgent()}. Without the agent no failpoint is ever reached, and a hold would
 * only wait and time out; so when it is missing it is loaded from the jar jfail's classes came
 * from, with the attach API (one line on stderr says so), or, when that is impossible, every caller
 * fails at once with one line naming the agent and the Maven plugin that attaches it at start.
 *
 * <p>The load is ByteBuddy's {@code ByteBuddyAgent.attach} (byte-buddy-agent, relocated into the agent
 * jar): JDK 9+ refuses an attach to the JVM itself unless {@code -Djdk.attach.allowAttachSelf=true},
 * and then it attaches from a short-lived helper JVM.
 */
public final class SelfAttach {

    /**
     * What a user adds to a Maven pom so that the agent is there from the start (with this jfail's version when known).
     *
     * @return the {@code <plugin>} element of jfail-maven-plugin's {@code prepare-agent} goal, on one line
     */
    public static String pluginSnippet() {
        String version = SelfAttach.class.getPackage().getImplementationVersion();
        return "<plugin><groupId>dev.jfail</groupId><artifactId>jfail-maven-plugin</artifactId>"
                + (version == null ? "" : "<version>" + version + "</version>")
                + "<executions><execution><goals><goal>prepare-agent</goal></goals></execution></executions></plugin>";
    }

    /** Why the agent could not be loaded, once it failed; every later caller fails with it at once. */
    private static volatile String failure;

    private SelfAttach() {
    }

    /**
     * Whether the agent runs in this JVM (for these classes).
     *
     * @return true once it was started with {@code -javaagent} or loaded since; never loads it
     */
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
        try {
            // the attach API refuses a JVM's attach to itself unless -Djdk.attach.allowAttachSelf=true;
            // ByteBuddyAgent then attaches from a helper JVM, as a user's own code would have to
            ByteBuddyAgent.attach(jar.toFile(), Long.toString(ProcessHandle.current().pid()));
        } catch (RuntimeException | LinkageError e) {
            return missing("the attach API could not load it (" + Messages.oneLine(e) + ")");
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

    /** The jar jfail's classes come from, if it is the agent jar (its manifest names the agent class), else null. */
    static Path agentJar() {
        return AgentJar.ofTheseClasses();
    }

    private static String location() {
        return AgentJar.location();
    }
}
