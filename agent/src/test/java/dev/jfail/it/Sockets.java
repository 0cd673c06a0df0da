package dev.jfail.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What a process has open, read from Linux's /proc as {@code ss -ltnp} does. */
final class Sockets {

    private static final String LISTEN = "0A";

    private Sockets() {
    }

    /**
     * The local addresses (hex, as in /proc/net/tcp) of the TCP sockets {@code pid} listens on: the
     * socket inodes among its file descriptors matched against the LISTEN rows of its network
     * namespace's tcp and tcp6 tables. Skipped (a visible assumption) where there is no /proc.
     */
    static List<String> listeningTcp(long pid) {
        Path proc = Path.of("/proc", String.valueOf(pid));
        assumeTrue(Files.isDirectory(proc.resolve("fd")), "needs Linux's /proc to see a process's sockets");
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String link = Files.readSymbolicLink(fd).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring("socket:[".length(), link.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while we looked: not a listener
                }
            }
            List<String> listening = new ArrayList<>();
            for (String table : List.of("tcp", "tcp6")) {
                Path file = proc.resolve("net").resolve(table);
                if (!Files.exists(file)) {
                    continue;
                }
                for (String row : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                    String[] f = row.trim().split("\\s+");
                    if (f[3].equals(LISTEN) && inodes.contains(f[9])) {
                        listening.add(table + " " + f[1]);
                    }
                }
            }
            return listening;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
