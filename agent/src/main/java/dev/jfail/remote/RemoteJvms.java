package dev.jfail.remote;

import dev.jfail.Jvm;
import dev.jfail.JvmLauncher;
import dev.jfail.core.Messages;
import dev.jfail.core.OtherJvms;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link OtherJvms.Connector} the agent jar provides (a service, see {@code META-INF/services}),
 * and the handles open in this JVM: the extensions stop the launched ones after each test and fetch
 * every open one's recorder for the merged timeline of a test that failed.
 */
public final class RemoteJvms implements OtherJvms.Connector {

    /** How long a launched JVM may take to answer on its channel, or an attached one to open it. */
    private static final long CONNECT_PATIENCE_NANOS = 30_000_000_000L;
    private static final List<RemoteJvm> OPEN = new CopyOnWriteArrayList<>();

    public RemoteJvms() {
        // a service: made by ServiceLoader
    }

    @Override
    public Jvm connect(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            throw new IllegalArgumentException("pid " + pid + " is this JVM: use FailPoints itself");
        }
        if (ProcessHandle.of(pid).isEmpty()) {
            throw new IllegalArgumentException("jvm pid " + pid + ": no such process");
        }
        try {
            Connections connections = Connections.open(pid, CONNECT_PATIENCE_NANOS / 3,
                    () -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            return opened(new RemoteJvm(pid, "pid " + pid, connections, null));
        } catch (IOException e) {
            throw new IllegalStateException("jvm pid " + pid + ": " + Messages.message(e), e);
        }
    }

    @Override
    public Jvm launch(JvmLauncher spec) {
        Launched launched;
        try {
            launched = Launched.start(spec);
        } catch (IOException e) {
            throw new IllegalStateException("jvm " + spec.name() + ": cannot start: " + Messages.message(e), e);
        }
        long pid = launched.process().pid();
        try {
            Connections connections = Connections.open(pid, CONNECT_PATIENCE_NANOS, launched.process()::isAlive);
            return opened(new RemoteJvm(pid, spec.name(), connections, launched));
        } catch (IOException | RuntimeException e) {
            String why = launched.process().isAlive() ? Messages.message(e)
                    : "it exited with " + exitValue(launched) + " before its control channel answered";
            launched.stop();
            throw new IllegalStateException("jvm " + spec.name() + " (pid " + pid + "): " + why + launched.lastOutput(), e);
        }
    }

    private static int exitValue(Launched launched) {
        try {
            return launched.process().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static Jvm opened(RemoteJvm jvm) {
        OPEN.add(jvm);
        return jvm;
    }

    static void forget(RemoteJvm jvm) {
        OPEN.remove(jvm);
    }

    /** The handles open now, in the order they were made. */
    public static List<Jvm> open() {
        return List.copyOf(OPEN);
    }

    /**
     * Every point known in {@code jvm} (a handle of this JVM's) with its counters, in one round trip:
     * what the explorer reads after each run.
     */
    @SuppressWarnings("unchecked")
    public static List<dev.jfail.FailPointStatus> statusAll(Jvm jvm) {
        List<dev.jfail.FailPointStatus> out = new java.util.ArrayList<>();
        for (Object p : (List<Object>) remote(jvm).call("statusAll", 0)) {
            out.add(Statuses.of((dev.jfail.jmx.PointStatus) p));
        }
        return out;
    }

    /** What {@code jvm}'s recorder kept since {@link Jvm#record()}, on this JVM's clock, its lanes {@code NAME \u25b8 THREAD}. */
    public static dev.jfail.trace.Recorder.Record recorded(Jvm jvm) {
        RemoteJvm r = remote(jvm);
        return SystemTimeline.part(r.name(), r.pid(), r.clockOffset(), r.recorded()).record();
    }

    private static RemoteJvm remote(Jvm jvm) {
        if (jvm instanceof RemoteJvm r) {
            return r;
        }
        throw new IllegalArgumentException(jvm + " is not a handle from FailPoints.jvm(pid) or the launcher");
    }

    static List<RemoteJvm> openNow() {
        return List.copyOf(OPEN);
    }

    private static volatile java.util.Set<RemoteJvm> beforeTest = java.util.Set.of();
    private static volatile List<SystemTimeline.Part> kept = List.of();

    static List<SystemTimeline.Part> kept() {
        return kept;
    }

    /** A test begins (the extensions call this): the handles it opens from now on are its own. */
    public static void testBegins() {
        kept = List.of();
        beforeTest = java.util.Set.copyOf(OPEN);
    }

    /**
     * A test ended, however: the handles it opened are closed (the JVMs it launched stopped with what
     * they started), their records kept first for the merged timeline, should it have failed.
     */
    public static void testEnds() {
        List<RemoteJvm> own = new java.util.ArrayList<>();
        for (RemoteJvm jvm : OPEN) {
            if (!beforeTest.contains(jvm)) {
                own.add(jvm);
            }
        }
        if (own.isEmpty()) {
            return;
        }
        try {
            kept = SystemTimeline.fetch(own);
        } finally {
            for (int i = own.size() - 1; i >= 0; i--) { // the last started first: it may depend on the others
                own.get(i).close();
            }
        }
    }

    /** Closes every open handle: launched JVMs are stopped with what they started, others disconnected. */
    public static void closeAll() {
        for (RemoteJvm jvm : List.copyOf(OPEN)) {
            jvm.close();
        }
        Launched.stopAll();
    }
}
