package dev.jfail.cli;

import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.jfail.agent.JFailAgent;
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
import java.util.Optional;

/**
 * A running JVM reached by pid: attached with {@code jdk.attach}, its local JMX connector started,
 * the jfail agent loaded if it has none yet, and its {@code dev.jfail:type=FailPoints} MBean proxied.
 * Every failure is a {@link CliException} with a one-line message.
 */
final class TargetJvm implements AutoCloseable {

    /** How long to wait for the MBean of an agent loaded at start (it registers it after one second). */
    private static final long REGISTRATION_PATIENCE_NANOS = 3_000_000_000L;

    private final VirtualMachine vm;
    private final JMXConnector connector;
    private final FailPointsMXBean failPoints;
    private final boolean agentLoadedNow;

    private TargetJvm(VirtualMachine vm, JMXConnector connector, FailPointsMXBean failPoints, boolean agentLoadedNow) {
        this.vm = vm;
        this.connector = connector;
        this.failPoints = failPoints;
        this.agentLoadedNow = agentLoadedNow;
    }

    /**
     * Connects to {@code pid}. Unless {@code force}, only a JVM that announces itself (the JDK's
     * {@code jps} list) is attached to: the attach protocol signals the target with SIGQUIT, which
     * would kill a process that is not a JVM.
     */
    static TargetJvm connect(long pid, Optional<Path> agentJar, boolean force) {
        if (pid == ProcessHandle.current().pid()) {
            throw new CliException("pid " + pid + " is this CLI itself");
        }
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new CliException("no process with pid " + pid);
        }
        if (!force && VirtualMachine.list().stream().map(VirtualMachineDescriptor::id).noneMatch(String.valueOf(pid)::equals)) {
            throw new CliException("process " + pid + " is not a JVM that accepts attach from this user (jps does not"
                    + " list it: not Java, another user's, -XX:+DisableAttachMechanism or -XX:-UsePerfData);"
                    + " --force tries anyway");
        }
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(String.valueOf(pid));
        } catch (Exception e) {
            throw new CliException("cannot attach to pid " + pid + ": " + oneLine(e));
        }
        JMXConnector connector = null;
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
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
            return new TargetJvm(vm, connector, proxy, loadedNow);
        } catch (CliException e) {
            closeQuietly(connector, vm);
            throw e;
        } catch (Exception e) {
            closeQuietly(connector, vm);
            throw new CliException("cannot reach the JMX agent of pid " + pid + ": " + oneLine(e));
        }
    }

    /**
     * An agent loaded at start registers its MBean a second after start: give it that time rather
     * than load it again (which JDK 21+ would warn about in the target's stderr).
     */
    private static void awaitRegistration(MBeanServerConnection server) throws IOException {
        long deadline = System.nanoTime() + REGISTRATION_PATIENCE_NANOS;
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
                "pid " + pid + " shows no jfail MBean and this CLI does not run from the agent jar to load it;"
                        + " give --agent=PATH/jfail-agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new CliException("no agent jar at " + jar);
        }
        try {
            vm.loadAgent(jar.toAbsolutePath().toString(), "--jmx"); // register the MBean before returning
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
        closeQuietly(connector, vm);
    }

    private static void closeQuietly(JMXConnector connector, VirtualMachine vm) {
        try {
            if (connector != null) {
                connector.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // the target may be gone already; nothing to report
        }
        try {
            vm.detach();
        } catch (IOException | RuntimeException ignored) {
            // as above
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
