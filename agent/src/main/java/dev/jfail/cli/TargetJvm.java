package dev.jfail.cli;

import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.jfail.agent.JFailAgent;
import dev.jfail.control.ControlClient;
import dev.jfail.control.ControlServer;
import dev.jfail.control.ControlSurfaces;
import dev.jfail.jmx.FailPointsControl;
import dev.jfail.jmx.FailPointsMXBean;

import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

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
        if (!jmx) {
            Optional<ControlClient> direct = directly(pid);
            if (direct.isPresent()) {
                return new TargetJvm(List.of(direct.get()), direct.get().failPoints(), false);
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
            throw new CliException("cannot reach pid " + pid + ": " + oneLine(e));
        }
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
            throw new CliException("process " + pid + " is not a JVM that accepts attach from this user (jps does not"
                    + " list it: not Java, another user's, -XX:+DisableAttachMechanism or -XX:-UsePerfData);"
                    + " --force tries anyway");
        }
        try {
            return VirtualMachine.attach(String.valueOf(pid));
        } catch (Exception e) {
            throw new CliException("cannot attach to pid " + pid + ": " + oneLine(e));
        }
    }

    /**
     * The agent says through a system property where its control socket is, or why it has none. An
     * agent loaded at start opens it when it receives the signal it names (SIGURG), or by itself a
     * second after start where it cannot handle signals: either way, no need to load it again (which
     * JDK 21+ would warn about in the target's stderr).
     */
    private static TargetJvm viaChannel(VirtualMachine vm, long pid, Optional<Path> agentJar,
                                        List<AutoCloseable> resources) throws IOException {
        Properties properties = vm.getSystemProperties();
        boolean agentRuns = properties.containsKey(JFailAgent.LOADED_PROPERTY);
        if (agentRuns && !"false".equalsIgnoreCase(properties.getProperty("jfail.control"))) {
            properties = awaitChannel(vm, pid);
        }
        boolean loadedNow = false;
        if (!answered(properties)) {
            // loading the agent again is how a running agent is asked to open its channel now
            loadAgent(vm, pid, agentJar);
            loadedNow = !agentRuns;
            properties = vm.getSystemProperties();
        }
        String socket = properties.getProperty(ControlSurfaces.SOCKET_PROPERTY);
        if (socket == null) {
            String why = properties.getProperty(ControlSurfaces.ERROR_PROPERTY, "see its stderr");
            throw new CliException("pid " + pid + " has no jfail control channel: " + why
                    + "; --jmx reaches it through the JDK's local JMX connector instead (see the README)");
        }
        ControlClient client = ControlClient.connect(Path.of(socket), pid).orElseThrow(() -> new CliException(
                "pid " + pid + " names " + socket + " as its control socket, but nothing answers there"));
        resources.add(client);
        return new TargetJvm(List.of(client), client.failPoints(), loadedNow);
    }

    private static boolean answered(Properties p) {
        return p.containsKey(ControlSurfaces.SOCKET_PROPERTY) || p.containsKey(ControlSurfaces.ERROR_PROPERTY);
    }

    /** Knocks (once the agent says it listens for the signal) until the channel is open, for a few seconds at most. */
    private static Properties awaitChannel(VirtualMachine vm, long pid) throws IOException {
        long deadline = System.nanoTime() + START_PATIENCE_NANOS;
        boolean knocked = false;
        Properties properties = vm.getSystemProperties();
        while (!answered(properties) && System.nanoTime() < deadline) {
            String signal = properties.getProperty(ControlSurfaces.WAKE_PROPERTY);
            if (signal != null && !knocked) {
                knocked = signal(pid, signal);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            properties = vm.getSystemProperties();
        }
        return properties;
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
        return new TargetJvm(List.of(connector), proxy, loadedNow);
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
            throw new CliException("pid " + pid + " refused to load the jfail agent: " + oneLine(e)
                    + " (JDK 21+: start it with -XX:+EnableDynamicAgentLoading, or with -javaagent)");
        } catch (Exception e) {
            throw new CliException("pid " + pid + " could not load the jfail agent: " + oneLine(e));
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

    static String oneLine(Throwable e) {
        Throwable t = e;
        while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
            t = t.getCause();
        }
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
