package dev.jfail.maven;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM arguments {@code prepare-agent} adds: {@code -javaagent:JAR[=ARGUMENT]} and, with a seed,
 * {@code -Djfail.seed=N}, appended to what the property held before (so other tools' arguments,
 * JaCoCo's among them, stay). The agent's argument carries the declarations and the settings as
 * {@code ;}-separated entries, the form the agent reads. An argument with whitespace is quoted, as
 * surefire splits {@code argLine} on unquoted whitespace.
 */
final class AgentLine {

    private AgentLine() {
    }

    /**
     * @param previous   the property's value before, or null
     * @param agentJar   the agent jar
     * @param points     declarations {@code NAME@CLASS#METHOD[...]}, separated by commas or whitespace; may be null
     * @param failpoints settings {@code name=setting;...}; may be null
     * @param seed       the seed, or null
     */
    static String of(String previous, Path agentJar, String points, String failpoints, String seed) {
        List<String> entries = new ArrayList<>();
        if (points != null) {
            for (String declaration : points.strip().split("[,\\s]+")) {
                if (!declaration.isEmpty()) {
                    entries.add(declaration);
                }
            }
        }
        if (failpoints != null && !failpoints.isBlank()) {
            entries.add(failpoints.strip());
        }
        String agent = "-javaagent:" + agentJar + (entries.isEmpty() ? "" : "=" + String.join(";", entries));
        StringBuilder line = new StringBuilder();
        if (previous != null && !previous.isBlank()) {
            line.append(previous.strip()).append(' ');
        }
        line.append(quoted(agent));
        if (seed != null && !seed.isBlank()) {
            line.append(' ').append(quoted("-Djfail.seed=" + seed.strip()));
        }
        return line.toString();
    }

    private static String quoted(String argument) {
        return argument.chars().anyMatch(Character::isWhitespace) ? '"' + argument + '"' : argument;
    }
}
