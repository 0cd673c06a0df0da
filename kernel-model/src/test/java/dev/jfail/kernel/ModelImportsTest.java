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
 * package but the runner, which drives the agent) imports any other part of jfail — not its core,
 * not its agent, not the control facade ({@code FailPoints}, holds): tests force interleavings
 * from outside, with jfail as a user would.
 */
class ModelImportsTest {

    @Test
    void no_class_of_the_model_imports_more_of_jfail_than_the_annotation() throws IOException {
        Path model = Path.of("src/main/java/dev/jfail/kernel");
        assertTrue(Files.isDirectory(model), "run from the kernel-model module: " + Path.of("").toAbsolutePath());
        List<String> offenders;
        try (Stream<Path> files = Files.walk(model)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(model.resolve("runner")))
                    .filter(p -> {
                        try {
                            return Files.readAllLines(p).stream().anyMatch(ModelImportsTest::importsMoreThanTheAnnotation);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(Path::toString).toList();
        }
        assertEquals(List.of(), offenders);
    }

    /** An import of jfail other than {@code dev.jfail.FailPoint} and the model's own packages. */
    private static boolean importsMoreThanTheAnnotation(String line) {
        String l = line.strip();
        if (!l.startsWith("import ")) {
            return false;
        }
        String imported = l.substring("import ".length()).replaceFirst("^static\\s+", "");
        return imported.startsWith("dev.jfail.") && !imported.equals("dev.jfail.FailPoint;")
                && !imported.startsWith("dev.jfail.kernel.");
    }
}
