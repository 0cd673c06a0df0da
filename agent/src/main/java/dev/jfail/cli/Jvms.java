package dev.jfail.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether a process is a JVM, before the CLI connects, knocks or attaches: a signal or a socket meant for a JVM. */
final class Jvms {

    private Jvms() {
    }

    /**
     * Linux: the process has HotSpot's (or OpenJ9's) library mapped, whatever its flags; elsewhere, or
     * where its maps cannot be read: the JDK's list of JVMs ({@code jps}).
     */
    static boolean isJvm(long pid) {
        Path maps = Path.of("/proc", String.valueOf(pid), "maps");
        if (Files.isReadable(maps)) {
            try {
                String mapped = new String(Files.readAllBytes(maps), StandardCharsets.ISO_8859_1);
                return mapped.contains("/libjvm.so") || mapped.contains("/libj9vm");
            } catch (IOException goneOrDenied) {
                // fall back on the JDK's list
            }
        }
        return VirtualMachine.list().stream().map(VirtualMachineDescriptor::id).anyMatch(String.valueOf(pid)::equals);
    }
}
