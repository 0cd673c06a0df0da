package dev.jfail.control;

import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The CLI's checks that a control socket is the target's own before it sends anything, as root
 * too: anyone can create a file at {@code TMPDIR/.jfail_pidPID} before the target opens its socket
 * there. The socket must be owned by the user that runs the target, give no access to group or
 * others, not be a symbolic link ({@code lstat}), and be served by a process of that user
 * ({@code SO_PEERCRED}, as the server checks its clients).
 */
final class SocketOwner {

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private SocketOwner() {
    }

    /** The user that runs {@code pid}; throws when that cannot be told (then no socket can be trusted). */
    static String userOf(long pid) throws IOException {
        Optional<String> user = ProcessHandle.of(pid).flatMap(p -> p.info().user());
        if (user.isEmpty()) {
            throw new IOException("cannot tell which user runs pid " + pid + ", so not whether a control socket is its own");
        }
        return user.get();
    }

    /**
     * Whether there is a socket at {@code socket} to connect to (false: nothing there); throws with
     * one line, saying what to remove, when something there is not the target's socket.
     */
    static boolean check(Path socket, String targetUser, long pid) throws IOException {
        PosixFileAttributes file;
        try {
            file = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        } catch (UnsupportedOperationException noPosix) {
            // no modes here (Windows): the owner alone decides
            if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            checkOwner(socket, Files.getOwner(socket, LinkOption.NOFOLLOW_LINKS).getName(), targetUser, pid);
            return true;
        }
        String owner = file.owner().getName();
        if (file.isSymbolicLink() || !file.isOther()) {
            throw new IOException(socket + " is " + (file.isSymbolicLink() ? "a symbolic link" : "not a socket")
                    + " of user " + owner + ", not pid " + pid + "'s control socket; " + removeIt(socket, owner));
        }
        checkOwner(socket, owner, targetUser, pid);
        if (!OWNER_ONLY.containsAll(file.permissions())) {
            throw new IOException("the control socket " + socket + " is open to other users ("
                    + PosixFilePermissions.toString(file.permissions()) + "), which jfail never makes it; "
                    + removeIt(socket, owner));
        }
        String me = System.getProperty("user.name");
        if (!owner.equals(me) && !"root".equals(me)) {
            throw new IOException("the control socket " + socket + " belongs to user " + owner
                    + ", not to you (" + me + "): only a JVM's own user (or root) can control it");
        }
        return true;
    }

    private static void checkOwner(Path socket, String owner, String targetUser, long pid) throws IOException {
        if (!owner.equals(targetUser)) {
            throw new IOException("the control socket " + socket + " belongs to user " + owner + ", but pid " + pid
                    + " runs as " + targetUser + ": it is not the target's; " + removeIt(socket, owner));
        }
    }

    private static String removeIt(Path socket, String owner) {
        return "remove it (as " + (owner.equals("root") ? "root" : owner + " or root") + ": rm " + socket + ") and run this again";
    }

    /** Throws when the process serving {@code channel} does not run as {@code targetUser}. */
    static void checkPeer(SocketChannel channel, Path socket, String targetUser, long pid) throws IOException {
        try {
            if (!channel.supportedOptions().contains(ExtendedSocketOptions.SO_PEERCRED)) {
                return; // no peer credentials here (Windows): the socket file's owner decided
            }
        } catch (LinkageError noJdkNet) {
            return;
        }
        String peer = channel.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName();
        if (!peer.equals(targetUser)) {
            throw new IOException("the process serving " + socket + " runs as user " + peer + ", but pid " + pid
                    + " runs as " + targetUser + ": it is not the target's socket");
        }
    }
}
