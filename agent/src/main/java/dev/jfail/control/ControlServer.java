package dev.jfail.control;

import dev.jfail.core.Messages;
import dev.jfail.jmx.FailPointsMXBean;
import jdk.net.ExtendedSocketOptions;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.HashMap;
import java.util.Map;

/**
 * The target's end of the control channel: a Unix domain socket at {@code TMPDIR/.jfail_pidPID} (the
 * attach socket's convention, {@code .java_pidPID}) that only the JVM's own user (and root) can
 * use, serving {@link FailPointsMXBean} to the CLI without any TCP port.
 *
 * <p>Owner-only twice over: the socket is bound inside a fresh directory of mode 0700, made 0600,
 * and only then renamed to its public name (so there is no moment when another user could connect,
 * and a stale socket left by a dead JVM that had this pid is replaced in one step); and every
 * connection's peer credentials ({@code SO_PEERCRED}) must be the JVM's user or root.
 */
public final class ControlServer implements AutoCloseable {

    /** Methods a client may call, by {@code name/argument count}: the MBean's interface and nothing else. */
    private static final class Operations {
        static final Map<String, Method> BY_NAME = new HashMap<>();

        static {
            for (Method m : FailPointsMXBean.class.getMethods()) {
                BY_NAME.put(m.getName() + "/" + m.getParameterCount(), m);
            }
            for (Method m : JvmRequests.class.getDeclaredMethods()) { // another JVM's handle: holds, waits, recorder
                if (java.lang.reflect.Modifier.isPublic(m.getModifiers())) {
                    BY_NAME.putIfAbsent(m.getName() + "/" + m.getParameterCount(), m);
                }
            }
        }

        static final JvmRequests REQUESTS = new JvmRequests(dev.jfail.core.FailPointRegistry.global());
    }

    private final ServerSocketChannel server;
    private final Path path;
    private final Object fileKey;
    private final UserPrincipal owner;
    private final FailPointsMXBean target;

    private ControlServer(ServerSocketChannel server, Path path, Object fileKey, UserPrincipal owner,
                          FailPointsMXBean target) {
        this.server = server;
        this.path = path;
        this.fileKey = fileKey;
        this.owner = owner;
        this.target = target;
    }

    /**
     * Binds the socket at {@code path}, replacing a stale one this user owns, and serves
     * {@code target} on a daemon thread. Throws with a one-line message when the platform has no
     * Unix domain sockets or the path is taken by another user.
     */
    public static ControlServer start(Path path, FailPointsMXBean target) throws IOException {
        // At JVM start this runs a second late but still costs CPU: no lambda, no string
        // concatenation (both link java.lang.invoke) and no SecureRandom on this path.
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Path staging = null;
        try {
            staging = privateDirectory(path.toAbsolutePath().resolveSibling(
                    path.getFileName().toString().concat(".").concat(Long.toString(System.nanoTime()))));
            Path socket = staging.resolve("s");
            server.bind(UnixDomainSocketAddress.of(socket));
            PosixFileAttributeView posix = Files.getFileAttributeView(socket, PosixFileAttributeView.class);
            if (posix != null) {
                posix.setPermissions(PosixFilePermissions.fromString("rw-------"));
            }
            try {
                Files.move(socket, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (FileSystemException e) {
                throw new IOException("cannot create " + path + ": " + (Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                        ? "a file of " + ownerName(path) + " is in the way" : e.getReason()), e);
            }
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            ControlServer control = new ControlServer(server, path, attributes.fileKey(),
                    Files.getOwner(path, LinkOption.NOFOLLOW_LINKS), target);
            Thread acceptor = new Thread(new Runnable() {
                @Override
                public void run() {
                    control.acceptLoop();
                }
            }, "jfail-control");
            acceptor.setDaemon(true);
            acceptor.start();
            return control;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        } finally {
            if (staging != null) {
                Files.deleteIfExists(staging.resolve("s"));
                Files.deleteIfExists(staging);
            }
        }
    }

    /** A new directory only this user can enter (mode 0700 from its creation on, where there are modes). */
    private static Path privateDirectory(Path dir) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        return Files.createDirectory(dir);
    }

    /** Where the socket is. */
    public Path path() {
        return path;
    }

    private static String ownerName(Path path) {
        try {
            return "user " + Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException e) {
            return "another user";
        }
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                continue; // one failed accept (a client gone at once) stops nothing
            }
            Thread t = new Thread(new Runnable() {
                @Override
                public void run() {
                    serve(client);
                }
            }, "jfail-control-client");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(client)));
            String refusal = refusal(client);
            if (refusal != null) {
                Wire.writeString(out, refusal);
                out.flush();
                return;
            }
            Wire.writeString(out, Wire.HELLO);
            out.writeLong(ProcessHandle.current().pid());
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(client)));
            while (true) {
                String method;
                try {
                    method = Wire.readString(in);
                } catch (EOFException e) {
                    return; // the client is done
                }
                int count = in.readInt();
                if (count < 0 || count > 4) {
                    return;
                }
                Object[] arguments = new Object[count];
                for (int i = 0; i < count; i++) {
                    arguments[i] = Wire.read(in);
                }
                answer(method, arguments, out);
                out.flush();
            }
        } catch (IOException | RuntimeException e) {
            // a client that broke the protocol or went away: drop it, serve the next
        }
    }

    /** Why this peer may not control the JVM, or null when it may: only the JVM's user and root may. */
    private String refusal(SocketChannel client) {
        try {
            if (!client.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)) {
                return null; // no peer credentials here (Windows): the socket file's access rights decide
            }
        } catch (LinkageError noJdkNet) {
            return null; // a run-time image without jdk.net: as above
        }
        try {
            UserPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED).user();
            if (peer.equals(owner) || "root".equals(peer.getName())) {
                return null;
            }
            return "refused: user " + peer.getName() + " does not own this JVM (" + owner.getName() + " does)";
        } catch (IOException | RuntimeException e) {
            return "refused: cannot tell who is connecting (" + e.getMessage() + ")";
        }
    }

    private void answer(String name, Object[] arguments, DataOutputStream out) throws IOException {
        Method method = Operations.BY_NAME.get(name + "/" + arguments.length);
        if (method == null) {
            out.writeByte('E');
            Wire.writeString(out, "no operation " + name + " with " + arguments.length + " arguments");
            return;
        }
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < types.length; i++) {
            Class<?> wanted = types[i] == long.class ? Long.class : types[i];
            if (!wanted.isInstance(arguments[i])) {
                out.writeByte('E');
                Wire.writeString(out, name + ": argument " + (i + 1) + " is not a " + wanted.getSimpleName());
                return;
            }
        }
        Object result;
        try {
            result = method.invoke(method.getDeclaringClass() == JvmRequests.class ? Operations.REQUESTS : target, arguments);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            out.writeByte(cause instanceof IllegalArgumentException ? 'A' : cause instanceof AssertionError ? 'F' : 'E');
            Wire.writeString(out, Messages.message(cause));
            return;
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        out.writeByte('=');
        Wire.write(out, result);
    }

    /** Stops serving and removes the socket, unless another JVM has put its own there since. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
        try {
            Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (fileKey == null || fileKey.equals(now)) {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** The socket of the JVM {@code pid} whose temporary directory is {@code directory}. */
    public static Path socketPath(Path directory, long pid) {
        return directory.resolve(".jfail_pid".concat(Long.toString(pid)));
    }

    /** The socket of the JVM {@code pid} whose temporary directory is this JVM's. */
    public static Path socketPath(long pid) {
        return socketPath(Path.of(System.getProperty("java.io.tmpdir")), pid);
    }
}
