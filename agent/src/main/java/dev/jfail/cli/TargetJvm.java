package dev.jfail.cli;

import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.jfail.agent.JFailAgent;
import dev.jfail.control.ControlClient;
import dev.jfail.control.ControlServer;
import dev.jfail.control.ControlSurfaces;
import dev.jfail.core.Messages;
import dev.jfail.jmx.FailPointsControl;
import dev.jfail.jmx.FailPointsMXBean;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A running JVM reached by pid, its failpoints as a {@link FailPointsMXBean}.
 *
 * <p>By default over the target's owner-only control socket ({@link ControlServer}): directly when
 * the socket is where this CLI expects it; otherwise attached with {@code jdk.attach}, which says
 * where the socket is (a system property), loading the jfail agent first when the target has none.
 * With {@code --jmx}, over the JDK's local JMX connector, which this starts in the target (a TCP
 * port that stays open for the target's life). Every failure is a {@link CliException} with a
 * one-line message.
 */
final class TargetJvm implements AutoCloseable {

    /** How long to wait for the control surfaces of an agent loaded at start (on a signal, or after one second). */
    private static final long START_PATIENCE_NANOS = 3_000_000_000L;

    private final List<AutoCloseable> resources;
    private final FailPointsMXBean failPoints;
    private final boolean agentLoadedNow;

    private TargetJvm(List<AutoCloseable> resources, FailPointsMXBean failPoints, boolean agentLoadedNow) {
        this.resources = resources;
        this.failPoints = failPoints;
        this.agentLoadedNow = agentLoadedNow;
    }

    /**
     * Connects to {@code pid}. Unless {@code force}, only a JVM that announces itself (the JDK's
     * {@code jps} list) is attached to: the attach protocol signals the target with SIGQUIT, which
     * would kill a process that is not a JVM.
     */
    static TargetJvm connect(long pid, Optional<Path> agentJar, boolean force, boolean jmx) {
        if (pid == ProcessHandle.current().pid()) {
            throw new CliException("pid " + pid + " is this CLI itself");
        }
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new CliException("no process with pid " + pid);
        }
        if (!force && !Jvms.isJvm(pid)) {
            throw new CliException(notAJvm(pid)); // nothing is sent to what is not a JVM, not even to a socket in its name
        }
        if (!jmx) {
            Optional<ControlClient> direct = directly(pid);
            if (direct.isPresent()) {
                return new TargetJvm(List.of(direct.get()), Printable.failPoints(direct.get().failPoints()), false);
            }
        }
        VirtualMachine vm = attach(pid, force);
        List<AutoCloseable> resources = new ArrayList<>();
        resources.add(vm::detach);
        try {
            TargetJvm target = jmx ? viaJmx(vm, pid, agentJar, resources) : viaChannel(vm, pid, agentJar, resources);
            vm.detach(); // the channel or connector carries on alone
            resources.remove(0);
            return target;
        } catch (CliException e) {
            closeQuietly(resources);
            throw e;
        } catch (Exception e) {
            closeQuietly(resources);
            throw new CliException("cannot reach pid " + pid + ": " + Messages.message(e));
        }
    }

    private static String notAJvm(long pid) {
        return "process " + pid + " is not a JVM that accepts attach from this user (jps does not list it: not Java,"
                + " another user's, -XX:+DisableAttachMechanism or -XX:-UsePerfData); --force tries anyway";
    }

    /** The control socket where this CLI's temporary directory says it is, if a JVM serves it; no attach. */
    private static Optional<ControlClient> directly(long pid) {
        try {
            return ControlClient.connect(ControlServer.socketPath(pid), pid);
        } catch (IOException e) {
            return Optional.empty(); // attach tells where the target's socket is, or why there is none
        }
    }

    private static VirtualMachine attach(long pid, boolean force) {
        if (!force && VirtualMachine.list().stream().map(VirtualMachineDescriptor::id).noneMatch(String.valueOf(pid)::equals)) {
            throw new CliException(notAJvm(pid));
        }
        try {
            return VirtualMachine.attach(String.valueOf(pid));
        } catch (Exception e) {
            throw new CliException("cannot attach to pid " + pid + ": " + Messages.message(e));
        }
    }

    /**
     * The agent says through system properties where its control socket is, or why it has none. An
     * agent loaded at start opens it when it receives the signal it names (SIGURG), or by itself a
     * second after start where it cannot handle signals: either way, no need to load it again (which
     * JDK 21+ would warn about in the target's stderr). A channel that is not usable now (never
     * opened, failed, or in the way of a file that has since gone) is knocked on again: every knock
     * is a new try.
     */
    private static TargetJvm viaChannel(VirtualMachine vm, long pid, Optional<Path> agentJar,
                                        List<AutoCloseable> resources) throws IOException {
        Properties properties = vm.getSystemProperties();
        boolean agentRuns = properties.containsKey(JFailAgent.LOADED_PROPERTY);
        boolean knockable = agentRuns && !"false".equalsIgnoreCase(properties.getProperty("jfail.control"));
        Optional<ControlClient> client = Optional.empty();
        if (knockable) {
            properties = awaitWakeSignal(vm, properties);
            client = named(properties, pid);
            if (client.isEmpty() && properties.getProperty(ControlSurfaces.WAKE_PROPERTY) != null) {
                properties = knock(vm, pid, properties);
                client = named(properties, pid);
            }
        }
        boolean loadedNow = false;
        boolean triedNow = knockable && properties.getProperty(ControlSurfaces.WAKE_PROPERTY) != null;
        if (client.isEmpty() && !(triedNow && failed(properties))) {
            // loading the agent again is how a running agent is asked to open its channel now
            loadAgent(vm, pid, agentJar);
            loadedNow = !agentRuns;
            properties = vm.getSystemProperties();
            client = named(properties, pid);
        }
        if (client.isEmpty()) {
            String socket = properties.getProperty(ControlSurfaces.SOCKET_PROPERTY);
            String why = failed(properties) ? properties.getProperty(ControlSurfaces.ERROR_PROPERTY)
                    : socket != null ? "it names " + socket + " as its control socket, but nothing answers there"
                    : "see its stderr";
            throw new CliException("pid " + pid + " has no jfail control channel: " + why
                    + "; --jmx reaches it through the JDK's local JMX connector instead (a TCP port, see the README)");
        }
        resources.add(client.get());
        return new TargetJvm(List.of(client.get()), Printable.failPoints(client.get().failPoints()), loadedNow);
    }

    /** Whether the agent's last try to open its channel failed (the error's property is emptied when one opens). */
    private static boolean failed(Properties p) {
        String error = p.getProperty(ControlSurfaces.ERROR_PROPERTY);
        return error != null && !error.isEmpty();
    }

    /** The channel the properties name, when its last try opened it and a JVM answers there. */
    private static Optional<ControlClient> named(Properties p, long pid) {
        String socket = p.getProperty(ControlSurfaces.SOCKET_PROPERTY);
        if (socket == null || failed(p)) {
            return Optional.empty();
        }
        try {
            return ControlClient.connect(Path.of(socket), pid);
        } catch (IOException e) {
            throw new CliException(Messages.message(e));
        }
    }

    private static int attempt(Properties p) {
        try {
            return Integer.parseInt(p.getProperty(ControlSurfaces.ATTEMPT_PROPERTY, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** An agent loaded at start says which signal opens its channel once its start-up thread has run. */
    private static Properties awaitWakeSignal(VirtualMachine vm, Properties properties) throws IOException {
        long deadline = System.nanoTime() + START_PATIENCE_NANOS;
        while (properties.getProperty(ControlSurfaces.WAKE_PROPERTY) == null
                && properties.getProperty(ControlSurfaces.SOCKET_PROPERTY) == null && !failed(properties)
                && System.nanoTime() < deadline && pause()) {
            properties = vm.getSystemProperties();
        }
        return properties;
    }

    /** Knocks, and waits a few seconds at most for the agent's try that the knock started (or another's). */
    private static Properties knock(VirtualMachine vm, long pid, Properties before) throws IOException {
        int tried = attempt(before);
        String socketBefore = before.getProperty(ControlSurfaces.SOCKET_PROPERTY);
        if (!signal(pid, before.getProperty(ControlSurfaces.WAKE_PROPERTY))) {
            return before;
        }
        long deadline = System.nanoTime() + START_PATIENCE_NANOS;
        Properties properties = before;
        while (System.nanoTime() < deadline && pause()) {
            properties = vm.getSystemProperties();
            String socket = properties.getProperty(ControlSurfaces.SOCKET_PROPERTY);
            boolean openedMeanwhile = socketBefore == null && socket != null && !failed(properties);
            if (attempt(properties) > tried || openedMeanwhile) {
                break;
            }
        }
        return properties;
    }

    private static boolean pause() {
        try {
            Thread.sleep(20);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code kill -SIGNAL pid}; whether it was sent. */
    private static boolean signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return kill.waitFor() == 0;
        } catch (IOException e) {
            return false; // no kill command: the agent's own start, or a load, will have to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code --jmx}: the JDK's local JMX connector, started in the target if it runs none. */
    private static TargetJvm viaJmx(VirtualMachine vm, long pid, Optional<Path> agentJar,
                                    List<AutoCloseable> resources) throws IOException {
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        resources.add(connector);
        MBeanServerConnection server = connector.getMBeanServerConnection();
        boolean loadedNow = false;
        boolean agentRuns = vm.getSystemProperties().containsKey(JFailAgent.LOADED_PROPERTY);
        if (agentRuns) {
            awaitRegistration(server);
        }
        if (!server.isRegistered(FailPointsControl.objectName())) {
            // loading the agent again is how a running agent is asked to register its MBean now
            loadedNow = !agentRuns;
            loadAgent(vm, pid, agentJar);
            if (!server.isRegistered(FailPointsControl.objectName())) {
                throw new CliException("pid " + pid + " loaded the jfail agent but shows no "
                        + FailPointsControl.NAME + " MBean; see its stderr");
            }
        }
        FailPointsMXBean proxy = JMX.newMXBeanProxy(server, FailPointsControl.objectName(), FailPointsMXBean.class);
        return new TargetJvm(List.of(connector), Printable.failPoints(proxy), loadedNow);
    }

    private static void awaitRegistration(MBeanServerConnection server) throws IOException {
        long deadline = System.nanoTime() + START_PATIENCE_NANOS;
        while (!server.isRegistered(FailPointsControl.objectName()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void loadAgent(VirtualMachine vm, long pid, Optional<Path> agentJar) {
        Path jar = agentJar.or(TargetJvm::ownJar).orElseThrow(() -> new CliException(
                "pid " + pid + " runs no jfail agent and this CLI does not run from the agent jar to load it;"
                        + " give --agent=PATH/jfail-agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new CliException("no agent jar at " + jar);
        }
        try {
            vm.loadAgent(jar.toAbsolutePath().toString(), "--jmx"); // control surfaces ready before it returns
        } catch (AgentLoadException e) {
            throw new CliException("pid " + pid + " refused to load the jfail agent: " + Messages.message(e)
                    + " (JDK 21+: start it with -XX:+EnableDynamicAgentLoading, or with -javaagent)");
        } catch (Exception e) {
            throw new CliException("pid " + pid + " could not load the jfail agent: " + Messages.message(e));
        }
    }

    /** The jar this CLI runs from, when it runs from one: it is the agent. */
    private static Optional<Path> ownJar() {
        try {
            Path self = Path.of(TargetJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return self.toString().endsWith(".jar") ? Optional.of(self) : Optional.empty();
        } catch (Exception | LinkageError e) {
            return Optional.empty();
        }
    }

    FailPointsMXBean failPoints() {
        return failPoints;
    }

    boolean agentLoadedNow() {
        return agentLoadedNow;
    }

    @Override
    public void close() {
        closeQuietly(resources);
    }

    private static void closeQuietly(List<AutoCloseable> resources) {
        for (AutoCloseable r : resources) {
            try {
                r.close();
            } catch (Exception ignored) {
                // the target may be gone already; nothing to report
            }
        }
    }

}
