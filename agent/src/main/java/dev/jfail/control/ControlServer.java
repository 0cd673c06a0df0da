package dev.jfail.control;

import dev.jfail.core.Messages;
import dev.jfail.jmx.FailPointsMXBean;
import jdk.net.ExtendedSocketOptions;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ProtocolException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
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
 *
 * <p>One thread serves every connection with non-blocking I/O, so a client costs a buffer, not a
 * thread: at most {@link #MAX_CONNECTIONS} at once (a new one closes the one idle longest), each
 * closed when it has sent no whole request for {@link #IDLE_MILLIS}, each request read whole (at
 * most {@link Wire#MAX_REQUEST_BYTES}) before it is decoded. Whatever one connection throws closes
 * that connection only; should the thread itself fail, the socket is closed and removed and
 * {@code onFailure} runs, so the next knock can open the channel again.
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

    /** Connections served at once; one more closes the one idle longest. */
    static final int MAX_CONNECTIONS = 16;
    /** A connection that sends no whole request for this long is closed. */
    public static final long IDLE_MILLIS = 10_000;

    private final ServerSocketChannel server;
    private final Selector selector;
    private final Path path;
    private final Object fileKey;
    private final UserPrincipal owner;
    private final FailPointsMXBean target;
    private final Runnable onFailure;
    private final long idleNanos;
    private final List<Connection> connections = new ArrayList<>(); // the serving thread's alone
    private final ByteBuffer scratch = ByteBuffer.allocate(8192);   // the serving thread's alone
    private volatile boolean serving = true;
    /** Answers made by the waiting workers, handed to the serving thread, which alone writes. */
    private final java.util.Queue<java.util.Map.Entry<Connection, ByteArrayOutputStream>> finished =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private ControlServer(ServerSocketChannel server, Selector selector, Path path, Object fileKey, UserPrincipal owner,
                          FailPointsMXBean target, Runnable onFailure, long idleMillis) {
        this.server = server;
        this.selector = selector;
        this.path = path;
        this.fileKey = fileKey;
        this.owner = owner;
        this.target = target;
        this.onFailure = onFailure;
        this.idleNanos = idleMillis * 1_000_000L;
    }

    /** As {@link #start(Path, FailPointsMXBean, Runnable)}, with nothing to run should serving fail. */
    public static ControlServer start(Path path, FailPointsMXBean target) throws IOException {
        return start(path, target, null);
    }

    /**
     * Binds the socket at {@code path}, replacing a stale one this user owns, and serves
     * {@code target} on a daemon thread. Throws with a one-line message when the platform has no
     * Unix domain sockets or the path is taken by another user. {@code onFailure} (may be null) runs
     * on the serving thread if that thread fails, after the socket is closed and removed.
     */
    public static ControlServer start(Path path, FailPointsMXBean target, Runnable onFailure) throws IOException {
        return start(path, target, onFailure, IDLE_MILLIS);
    }

    /** As above, closing a connection idle for {@code idleMillis} (tests shorten it). */
    static ControlServer start(Path path, FailPointsMXBean target, Runnable onFailure, long idleMillis) throws IOException {
        // At JVM start this runs a second late but still costs CPU: no lambda, no string
        // concatenation (both link java.lang.invoke) and no SecureRandom on this path.
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = null;
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
                        ? "a file of " + ownerName(path) + " is in the way; remove it (as its owner or root) and use"
                        + " the CLI again, which opens the channel then" : e.getReason()), e);
            }
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            server.configureBlocking(false);
            selector = Selector.open();
            server.register(selector, SelectionKey.OP_ACCEPT);
            ControlServer control = new ControlServer(server, selector, path, attributes.fileKey(),
                    Files.getOwner(path, LinkOption.NOFOLLOW_LINKS), target, onFailure, idleMillis);
            Thread serving = new Thread(new Runnable() {
                @Override
                public void run() {
                    control.serve();
                }
            }, "jfail-control");
            serving.setDaemon(true);
            try {
                serving.start();
            } catch (Throwable noThread) { // OutOfMemoryError: unable to create native thread
                control.close();
                throw new IOException("cannot start its thread: " + noThread, noThread);
            }
            return control;
        } catch (IOException | RuntimeException e) {
            server.close();
            if (selector != null) {
                selector.close();
            }
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

    /**
     * Whether it still serves at its path: false once closed, once its thread failed, or once its
     * socket file is gone or another's (a cleaner of the temporary directory removed it, say).
     */
    public boolean serving() {
        if (!serving) {
            return false;
        }
        try {
            Object now = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return fileKey == null || fileKey.equals(now);
        } catch (IOException gone) {
            return false;
        }
    }

    /** What one client has sent and is owed. */
    private static final class Connection {
        final SocketChannel channel;
        final SelectionKey key;
        final ByteBuffer length = ByteBuffer.allocate(4);
        byte[] request;          // the frame being read, grown as its bytes come; null before its length
        int filled;
        int size;
        ByteBuffer answer;       // what is still to be written, or null
        boolean closeWhenWritten;
        boolean waiting;         // its request waits on a worker (a handle's bounded wait): not idle, not read
        long lastActive = System.nanoTime();

        Connection(SocketChannel channel, SelectionKey key) {
            this.channel = channel;
            this.key = key;
        }
    }

    /** The serving thread: accepts, reads, answers, writes, and closes idle connections, until closed. */
    private void serve() {
        try {
            while (serving) {
                Thread.interrupted(); // an interrupt would make every select return at once: nobody may stop it so
                selector.select(selectTimeout());
                if (!serving) {
                    return;
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.attachment() == null) {
                        accept();
                    } else {
                        step((Connection) key.attachment());
                    }
                }
                selector.selectedKeys().clear();
                sendFinished();
                closeIdle();
            }
        } catch (ClosedSelectorException closed) {
            // closed: nothing more to serve
        } catch (Throwable t) {
            // the serving thread failed (an OutOfMemoryError in select, say): let the next knock open a new channel
            if (serving) {
                close();
                if (onFailure != null) {
                    onFailure.run();
                }
            }
        }
    }

    /** How long select may wait: until the next idle connection is due, or for ever when there is none. */
    private long selectTimeout() {
        long oldest = Long.MAX_VALUE;
        for (Connection c : connections) {
            if (!c.waiting) {
                oldest = Math.min(oldest, c.lastActive);
            }
        }
        if (oldest == Long.MAX_VALUE) {
            return 0;
        }
        long due = (oldest + idleNanos - System.nanoTime()) / 1_000_000L;
        return Math.max(1, due + 1);
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (Connection c : new ArrayList<>(connections)) {
            if (!c.waiting && now - c.lastActive > idleNanos) {
                drop(c);
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel client;
        while ((client = acceptOne()) != null) {
            Connection c = null;
            try {
                if (connections.size() >= MAX_CONNECTIONS) {
                    drop(longestIdle());
                }
                client.configureBlocking(false);
                c = new Connection(client, client.register(selector, 0));
                c.key.attach(c);
                connections.add(c);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                DataOutputStream out = new DataOutputStream(bytes);
                String refusal = refusal(client);
                if (refusal != null) {
                    Wire.writeString(out, refusal);
                    c.closeWhenWritten = true;
                } else {
                    Wire.writeString(out, Wire.HELLO);
                    out.writeLong(ProcessHandle.current().pid());
                }
                send(c, bytes);
            } catch (Throwable t) {
                if (c != null) {
                    drop(c);
                } else {
                    closeQuietly(client);
                }
            }
        }
    }

    private SocketChannel acceptOne() throws IOException {
        try {
            return server.accept();
        } catch (ClosedChannelException e) {
            throw e;
        } catch (IOException e) {
            return null; // one failed accept (a client gone at once) stops nothing
        }
    }

    private Connection longestIdle() {
        Connection oldest = connections.get(0);
        for (Connection c : connections) {
            if (c.lastActive < oldest.lastActive) {
                oldest = c;
            }
        }
        return oldest;
    }

    /** Reads, answers or writes what one connection is ready for; whatever it throws closes it alone. */
    private void step(Connection c) {
        try {
            if (!c.key.isValid()) {
                drop(c);
                return;
            }
            if (c.key.isWritable()) {
                write(c);
            } else if (c.key.isReadable()) {
                read(c);
            }
        } catch (Throwable t) {
            drop(c); // a client that broke the protocol or went away, or an error of its request alone
        }
    }

    private void read(Connection c) throws IOException {
        while (c.answer == null) {
            scratch.clear();
            int wanted = c.request == null ? c.length.remaining() : c.size - c.filled;
            scratch.limit(Math.min(scratch.capacity(), wanted));
            int n = c.channel.read(scratch);
            if (n < 0) {
                drop(c); // the client is done
                return;
            }
            if (n == 0) {
                return;
            }
            scratch.flip();
            if (c.request == null) {
                c.length.put(scratch);
                if (!c.length.hasRemaining()) {
                    c.size = Wire.frameLength(c.length.getInt(0), Wire.MAX_REQUEST_BYTES);
                    c.request = new byte[Math.min(c.size, scratch.capacity())];
                    c.filled = 0;
                }
            } else {
                if (c.request.length < c.filled + n) {
                    c.request = Arrays.copyOf(c.request, Math.min(c.size, Math.max(c.request.length * 2, c.filled + n)));
                }
                scratch.get(c.request, c.filled, n);
                c.filled += n;
            }
            if (c.request != null && c.filled == c.size) {
                byte[] request = c.request;
                c.request = null;
                c.length.clear();
                c.lastActive = System.nanoTime();
                Call call = Call.read(request, c.size);
                if (call.waits()) {
                    answerElsewhere(c, call);
                    return;
                }
                send(c, answer(call));
            }
        }
    }

    private void write(Connection c) throws IOException {
        c.channel.write(c.answer);
        if (c.answer.hasRemaining()) {
            return;
        }
        c.answer = null;
        c.lastActive = System.nanoTime();
        if (c.closeWhenWritten) {
            drop(c);
        } else {
            c.key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** Queues {@code bytes} to be written; nothing more is read from {@code c} until they are. */
    private void send(Connection c, ByteArrayOutputStream bytes) throws IOException {
        c.answer = ByteBuffer.wrap(bytes.toByteArray());
        c.key.interestOps(SelectionKey.OP_WRITE);
        write(c);
    }

    /**
     * A handle's bounded wait (seconds, in the target) must not stop the serving thread, which
     * answers every other client: it runs on a worker, and its answer comes back through
     * {@link #finished}. Nothing more is read from that client until it is answered.
     */
    private void answerElsewhere(Connection c, Call call) {
        c.waiting = true;
        c.key.interestOps(0);
        Waiting.WORKERS.execute(() -> {
            ByteArrayOutputStream frame;
            try {
                frame = answer(call);
            } catch (Throwable t) {
                frame = null; // an answer that could not be written: the connection is closed
            }
            finished.add(new java.util.AbstractMap.SimpleEntry<>(c, frame));
            selector.wakeup();
        });
    }

    private void sendFinished() {
        java.util.Map.Entry<Connection, ByteArrayOutputStream> done;
        while ((done = finished.poll()) != null) {
            Connection c = done.getKey();
            c.waiting = false;
            c.lastActive = System.nanoTime();
            if (!connections.contains(c)) {
                continue; // dropped meanwhile
            }
            try {
                if (done.getValue() == null) {
                    drop(c);
                } else {
                    send(c, done.getValue());
                }
            } catch (Throwable t) {
                drop(c);
            }
        }
    }

    /** The few daemon threads that handles' bounded waits run on. */
    private static final class Waiting {
        /** At most this many waits at once; more queue (every wait is bounded). */
        static final java.util.concurrent.ExecutorService WORKERS = workers();

        private static java.util.concurrent.ExecutorService workers() {
            java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(
                    4, 4, 30, java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "jfail-control-wait");
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true); // no thread while nobody waits
            return pool;
        }
    }

    private void drop(Connection c) {
        connections.remove(c);
        c.key.cancel();
        closeQuietly(c.channel);
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // gone already
        }
    }

    /** One request: an operation's name and its arguments, read once from the frame. */
    private record Call(String method, Object[] arguments) {

        /** Reads a request frame; one that breaks the protocol throws. */
        static Call read(byte[] request, int size) throws IOException {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(request, 0, size));
            String method = Wire.readString(in);
            int count = in.readInt();
            if (count < 0 || count > 4) {
                throw new ProtocolException("a call with " + count + " arguments");
            }
            Object[] arguments = new Object[count];
            for (int i = 0; i < count; i++) {
                arguments[i] = Wire.read(in);
            }
            return new Call(method, arguments);
        }

        /** A handle's bounded wait ({@code await...}): answered off the serving thread. */
        boolean waits() {
            return method.startsWith("await");
        }
    }

    /** The answer to one call, as a frame. */
    private ByteArrayOutputStream answer(Call call) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        answer(call.method(), call.arguments(), new DataOutputStream(body));
        ByteArrayOutputStream frame = new ByteArrayOutputStream(body.size() + 4);
        Wire.writeFrame(new DataOutputStream(frame), body);
        return frame;
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
        serving = false;
        List<SelectionKey> keys = keysOf(selector);
        try {
            server.close();
            selector.close(); // the serving thread ends
        } catch (IOException ignored) {
            // closing is best effort
        }
        for (SelectionKey key : keys) {
            if (key.channel() instanceof SocketChannel client) {
                closeQuietly(client);
            }
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

    private static List<SelectionKey> keysOf(Selector selector) {
        try {
            return new ArrayList<>(selector.keys());
        } catch (ClosedSelectorException closed) {
            return List.of();
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
