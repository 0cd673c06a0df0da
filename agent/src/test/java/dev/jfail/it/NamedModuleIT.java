package dev.jfail.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A failpoint in a named module: its check calls the agent's classes in the class path's unnamed
 * module, which the module must be able to read (the agent adds the read edge when it is missing).
 */
@Timeout(120)
class NamedModuleIT {

    @TempDir
    Path dir;

    @Test
    void aFailPointInANamedModuleWorks() throws IOException {
        Path source = dir.resolve("src/demo.app");
        Files.createDirectories(source.resolve("demo"));
        Files.writeString(source.resolve("module-info.java"), "module demo.app { requires static dev.jfail; }\n");
        Files.writeString(source.resolve("demo/Main.java"), """
                package demo;
                public class Main {
                    @dev.jfail.FailPoint("mod_answer") static int answer() { return 42; }
                    public static void main(String[] args) { System.out.println("answer=" + answer()); }
                }
                """);
        Path out = dir.resolve("out");
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        int compiled = ToolProvider.getSystemJavaCompiler().run(null, null, errors, "--module-path",
                Jvm.agentJar().toString(), "--module-source-path", dir.resolve("src").toString(),
                "-m", "demo.app", "-d", out.toString());
        assertEquals(0, compiled, errors.toString(StandardCharsets.UTF_8));

        Jvm.Result r = Jvm.run(List.of("-javaagent:" + Jvm.agentJar() + "=mod_answer=return(7)",
                "-p", out.toString(), "-m", "demo.app/demo.Main"));
        assertEquals(0, r.exit(), r.toString());
        assertEquals(List.of("answer=7"), r.stdout());
        assertEquals(List.of(), r.stderr());
    }
}
