package dev.jfail.cli;

/** A failure the CLI reports as one line and a non-zero exit. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }
}
