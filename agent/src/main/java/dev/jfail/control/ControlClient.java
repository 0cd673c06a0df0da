package dev.jfail.control;

import dev.jfail.jmx.FailPointsMXBean;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The CLI's end of the control channel: {@link FailPointsMXBean} called over the target's
 * {@link ControlServer} socket. A call the target refuses throws the {@link IllegalArgumentException}
 * or {@link IllegalStateException} it threw there, with its message.
 */
public final class ControlClient implements AutoCloseable {

    /** A target that answers nothing for this long is given up on (a JVM stopped in a debugger, say). */
    private static final long CALL_TIMEOUT_MS = 30_000;
    /** A socket whose server accepts nothing (its backlog full, its thread stopped) is given up on sooner. */
    private static final long CONNECT_TIMEOUT_MS = 5_000;

    private final SocketChannel channel;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final Timer timer;
    private final FailPointsMXBean failPoints;

    private ControlClient(SocketChannel channel, Timer timer) {
        this.channel = channel;
        this.timer = timer;
        this.in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
        this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
        this.failPoints = (FailPointsMXBean) Proxy.newProxyInstance(FailPointsMXBean.class.getClassLoader(),
                new Class<?>[] {FailPointsMXBean.class}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(this, args);
                    }
                    return call(method, args == null ? new Object[0] : args);
                });
    }

    /**
     * Connects to the control socket of {@code pid} at {@code socket}; empty when there is none, or
     * only a stale one that no JVM serves. Throws with a one-line message when the socket is there
     * but not usable: another user's, refusing this user, or serving another pid.
     *
     * <p>Before it sends anything it checks, as root too, that the socket is the target's: a socket
     * (not a symbolic link, {@code lstat}) owned by the user that runs {@code pid}, with no group or
     * other access, served by a process of that user ({@code SO_PEERCRED}) that says it is {@code pid}.
     */
    public static Optional<ControlClient> connect(Path socket, long pid) throws IOException {
        String targetUser = SocketOwner.userOf(pid);
        if (!SocketOwner.check(socket, targetUser, pid)) {
            return Optional.empty();
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        Timer timer = new Timer("jfail-control-timeout", true);
        try {
            within(timer, channel, CONNECT_TIMEOUT_MS, "accept the connection", () -> channel.connect(UnixDomainSocketAddress.of(socket)));
        } catch (ConnectException e) {
            timer.cancel();
            channel.close();
            return Optional.empty(); // a socket file no JVM listens on: left by a JVM that died
        } catch (IOException e) {
            timer.cancel();
            channel.close();
            throw new IOException("cannot connect to " + socket + ": " + e.getMessage(), e);
        }
        ControlClient client = new ControlClient(channel, timer);
        try {
            SocketOwner.checkPeer(channel, socket, targetUser, pid);
            client.greet(socket, pid);
            return Optional.of(client);
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    private void greet(Path socket, long pid) throws IOException {
        String hello = within(() -> Wire.readString(in));
        if (!hello.equals(Wire.HELLO)) {
            if (hello.startsWith("jfail-control/")) {
                throw new IOException("pid " + pid + " speaks " + hello + ", this CLI " + Wire.HELLO
                        + ": use the CLI of the target's jfail version");
            }
            throw new IOException(socket + ": " + hello);
        }
        long served = in.readLong();
        if (served != pid) {
            throw new IOException("the control socket " + socket + " serves pid " + served + ", not " + pid);
        }
    }

    /** The target's failpoints; every call is one request and its answer. */
    public FailPointsMXBean failPoints() {
        return failPoints;
    }

    private Object call(Method method, Object[] args) throws IOException {
        return call(method.getName(), 0, args);
    }

    /**
     * One request of any kind the server serves ({@link JvmRequests}' too), its answer awaited
     * {@code waitMillis} (a wait the server makes) beyond the usual timeout; a wait that ran out
     * there throws its {@link AssertionError} here.
     */
    public synchronized Object call(String name, long waitMillis, Object... args) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        DataOutputStream body = new DataOutputStream(request);
        Wire.writeString(body, name);
        body.writeInt(args.length);
        for (Object a : args) {
            Wire.write(body, a);
        }
        Wire.writeFrame(out, request);
        out.flush();
        DataInputStream answer = within(() -> Wire.readFrame(in, Wire.MAX_ANSWER_BYTES), CALL_TIMEOUT_MS + waitMillis);
        int status = answer.readUnsignedByte();
        switch (status) {
            case '=':
                return Wire.read(answer);
            case 'A':
                throw new IllegalArgumentException(Wire.readString(answer));
            case 'E':
                throw new IllegalStateException(Wire.readString(answer));
            case 'F':
                throw new AssertionError(Wire.readString(answer));
            default:
                throw new IOException("the target answered " + status + " to " + name);
        }
    }

    private interface Read<T> {
        T read() throws IOException;
    }

    /** {@code read}, or an exception when the target has not answered within {@link #CALL_TIMEOUT_MS}. */
    private <T> T within(Read<T> read) throws IOException {
        return within(read, CALL_TIMEOUT_MS);
    }

    private <T> T within(Read<T> read, long timeoutMillis) throws IOException {
        return within(timer, channel, timeoutMillis, "answer", read);
    }

    /** {@code io} on {@code channel}, which is closed (failing it) when it takes longer than {@code millis}. */
    private static <T> T within(Timer timer, SocketChannel channel, long millis, String what, Read<T> io) throws IOException {
        AtomicBoolean gaveUp = new AtomicBoolean();
        TimerTask giveUp = new TimerTask() {
            @Override
            public void run() {
                gaveUp.set(true);
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the read fails either way
                }
            }
        };
        timer.schedule(giveUp, millis);
        try {
            return io.read();
        } catch (IOException e) {
            if (gaveUp.get()) {
                throw new IOException("the target did not " + what + " within " + millis / 1000 + " s", e);
            }
            throw e;
        } finally {
            giveUp.cancel();
        }
    }

    @Override
    public void close() {
        timer.cancel();
        try {
            channel.close();
        } catch (IOException ignored) {
            // the target may be gone; nothing to release
        }
    }
}
