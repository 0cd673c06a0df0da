package dev.jfail.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar bench/target/jfail-bench.jar [JMH options]}: runs {@link FailPointBench} and
 * {@link PositionBench} with the
 * agent in every fork. The agent jar is {@code -Djfail.agent.jar=PATH}, else the one the build made
 * beside this module ({@code agent/target/jfail-agent.jar}).
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws RunnerException {
        Path agent = agentJar();
        if (!Files.isRegularFile(agent)) {
            System.err.println("jfail-bench: no agent jar at " + agent + "; build it (mvn -pl agent package) or give -Djfail.agent.jar=PATH");
            System.exit(1);
        }
        CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("jfail-bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        if (cli.getIncludes().isEmpty()) {
            options.include(FailPointBench.class.getName());
            options.include(PositionBench.class.getName());
            options.include(AutoPointBench.class.getName());
        }
        // the agent goes after whatever -jvmArgsAppend the command line gave
        List<String> append = new ArrayList<>(cli.getJvmArgsAppend().orElse(List.of()));
        append.add("-javaagent:" + agent.toAbsolutePath());
        options.jvmArgsAppend(append.toArray(String[]::new));
        new Runner(options.build()).run();
    }

    private static Path agentJar() {
        String given = System.getProperty("jfail.agent.jar");
        if (given != null) {
            return Path.of(given);
        }
        try {
            Path self = Path.of(BenchMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return self.resolveSibling("../../agent/target/jfail-agent.jar").normalize();
        } catch (URISyntaxException e) {
            return Path.of("agent/target/jfail-agent.jar");
        }
    }
}
