package dev.jfail.kernel.runner;

import picocli.CommandLine.Option;

/**
 * {@code --json} and {@code --quiet}, which the tour and every command that runs races take; a
 * command honours its own or the top level's ({@code jfail-races --json run collapse}).
 */
final class OutputOptions {

    @Option(names = "--json", description = "Print the results as JSON.")
    boolean json;

    @Option(names = "--quiet", description = "No progress line on stderr.")
    boolean quiet;

    boolean json(RacesCli parent) {
        return json || parent.output.json;
    }

    boolean quiet(RacesCli parent) {
        return quiet || parent.output.quiet;
    }
}
