package dev.jfail.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A second user of this machine, to show what someone who does not own a JVM can do to it. Only
 * root can run a command as another user: CI runs as root and creates the user here (useradd);
 * anywhere else the test is skipped with a visible assumption.
 */
final class OtherUser {

    static final String NAME = "jfail-other";

    private OtherUser() {
    }

    /** Creates the user when needed; skips the test when that cannot be done. */
    static void ensure() {
        assumeTrue("root".equals(System.getProperty("user.name")), "running a command as another user needs root");
        if (run(List.of("id", "-u", NAME)) != 0) {
            int created = run(List.of("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", NAME));
            assumeTrue(created == 0 || run(List.of("id", "-u", NAME)) == 0, "useradd " + NAME + " failed");
        }
        assumeTrue(run(List.of("runuser", "-u", NAME, "--", "true")) == 0, "runuser -u " + NAME + " failed");
    }

    /** {@code java ARGS...} as the other user. */
    static Jvm.Result java(List<String> arguments) {
        List<String> command = new ArrayList<>(List.of("-u", NAME, "--", Jvm.java().toString(), "-XX:-UsePerfData"));
        command.addAll(arguments);
        return Jvm.runProgram("runuser", command);
    }

    /**
     * A one-file Java program that connects to the Unix domain socket named by its argument and
     * prints {@code connected: GREETING} or {@code refused: WHY}, written into {@code dir}, which is
     * opened for the other user to read.
     */
    static Path knock(Path dir) {
        String source = """
                import java.io.DataInputStream;
                import java.net.StandardProtocolFamily;
                import java.net.UnixDomainSocketAddress;
                import java.nio.channels.Channels;
                import java.nio.channels.SocketChannel;
                import java.nio.charset.StandardCharsets;

                public class Knock {
                    public static void main(String[] args) {
                        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                            c.connect(UnixDomainSocketAddress.of(args[0]));
                            DataInputStream in = new DataInputStream(Channels.newInputStream(c));
                            byte[] first = new byte[in.readInt()];
                            in.readFully(first);
                            System.out.println("connected: " + new String(first, StandardCharsets.UTF_8));
                        } catch (Exception e) {
                            System.out.println("refused: " + e.getMessage());
                        }
                    }
                }
                """;
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path file = dir.resolve("Knock.java");
            Files.writeString(file, source);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
