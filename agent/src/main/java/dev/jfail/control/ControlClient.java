package dev.jfail.control;

import dev.jfail.jmx.FailPointsMXBean;

import java.io.BufferedInputStream;
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
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Timer;
import java.util.TimerTask;

/**
 * The CLI's end of the control channel: {@link FailPointsMXBean} called over the target's
 * {@link ControlServer} socket. A call the target refuses throws the {@link IllegalArgumentException}
 * or {@link IllegalStateException} it threw there, with its message.
 */
public final class ControlClient implements AutoCloseable {

    /** A target that answers nothing for this long is given up on (a JVM stopped in a debugger, say). */
    private static final long CALL_TIMEOUT_MS = 30_000;

    private final SocketChannel channel;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final Timer timer = new Timer("jfail-control-timeout", true);
    private final FailPointsMXBean failPoints;

    private ControlClient(SocketChannel channel) {
        this.channel = channel;
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
     */
    public static Optional<ControlClient> connect(Path socket, long pid) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        String owner = Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName();
        String me = System.getProperty("user.name");
        if (!owner.equals(me) && !"root".equals(me)) {
            throw new IOException("the control socket " + socket + " belongs to user " + owner
                    + ", not to you (" + me + "): only a JVM's own user (or root) can control it");
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (ConnectException e) {
            channel.close();
            return Optional.empty(); // a socket file no JVM listens on: left by a JVM that died
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot connect to " + socket + ": " + e.getMessage(), e);
        }
        ControlClient client = new ControlClient(channel);
        try {
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
        Wire.writeString(out, name);
        out.writeInt(args.length);
        for (Object a : args) {
            Wire.write(out, a);
        }
        out.flush();
        int status = within(in::readUnsignedByte, CALL_TIMEOUT_MS + waitMillis);
        switch (status) {
            case '=':
                return Wire.read(in);
            case 'A':
                throw new IllegalArgumentException(Wire.readString(in));
            case 'E':
                throw new IllegalStateException(Wire.readString(in));
            case 'F':
                throw new AssertionError(Wire.readString(in));
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
        TimerTask giveUp = new TimerTask() {
            @Override
            public void run() {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // the read fails either way
                }
            }
        };
        timer.schedule(giveUp, timeoutMillis);
        try {
            return read.read();
        } catch (IOException e) {
            if (!channel.isOpen()) {
                throw new IOException("the target did not answer within " + timeoutMillis / 1000 + " s", e);
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
