package dev.jfail.kernel.runner;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --timeline DIR} and {@code --record DIR}, which {@code run} and {@code explore} take alike. */
final class TraceOptions {

    @Option(names = "--timeline", paramLabel = "DIR",
            description = "Write an HTML timeline of each failure shown in full: DIR/<race>-<variant>-run<N>.html.")
    Path timelineDir;

    @Option(names = "--record", paramLabel = "DIR",
            description = {"Write a replay file of each failure shown in full: DIR/<race>-<variant>-run<N>.replay",
                    "('jfail-races replay FILE' plays it again in its recorded order)."})
    Path recordDir;

    /** What writes them, or null when neither was asked for. */
    Tracing tracing() {
        return timelineDir != null || recordDir != null ? new Tracing(timelineDir, recordDir) : null;
    }
}
