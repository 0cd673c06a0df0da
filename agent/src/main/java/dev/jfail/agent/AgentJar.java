package dev.jfail.agent;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.JarFile;

/** The jar jfail's classes come from, when it is the agent jar: what self-attach loads and the launcher passes to {@code -javaagent}. */
public final class AgentJar {

    private AgentJar() {
    }

    /** The jar these classes come from, if its manifest names the agent class; else null. */
    public static Path ofTheseClasses() {
        Path path = codeSource();
        if (path == null || !Files.isRegularFile(path)) {
            return null;
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            String agentClass = jar.getManifest() == null ? null : jar.getManifest().getMainAttributes().getValue("Agent-Class");
            return JFailAgent.class.getName().equals(agentClass) ? path : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Where these classes come from, for messages: a jar, or a directory (ending in a separator). */
    public static String location() {
        Path path = codeSource();
        return path == null ? "an unknown place" : path + (Files.isDirectory(path) ? File.separator : "");
    }

    private static Path codeSource() {
        try {
            CodeSource source = AgentJar.class.getProtectionDomain().getCodeSource();
            return source == null || source.getLocation() == null ? null : Path.of(source.getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
