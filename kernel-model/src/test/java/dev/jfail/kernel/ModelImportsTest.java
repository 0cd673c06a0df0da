package dev.jfail.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kernel model knows jfail only through {@code @FailPoint}: no class of the model (every
 * package but the runner, which drives the agent) imports jfail's core or agent.
 */
class ModelImportsTest {

    @Test
    void no_class_of_the_model_imports_jfails_core_or_agent() throws IOException {
        Path model = Path.of("src/main/java/dev/jfail/kernel");
        assertTrue(Files.isDirectory(model), "run from the kernel-model module: " + Path.of("").toAbsolutePath());
        List<String> offenders;
        try (Stream<Path> files = Files.walk(model)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(model.resolve("runner")))
                    .filter(p -> {
                        try {
                            return Files.readAllLines(p).stream().anyMatch(l -> l.startsWith("import dev.jfail.core.")
                                    || l.startsWith("import dev.jfail.agent.") || l.startsWith("import static dev.jfail.core.")
                                    || l.startsWith("import static dev.jfail.agent."));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(Path::toString).toList();
        }
        assertEquals(List.of(), offenders);
    }
}
