package dev.jfail.kernel.runner;

import dev.jfail.kernel.race.Race;
import dev.jfail.kernel.race.Races;
import dev.jfail.kernel.race.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.function.Supplier;

/**
 * What the commands that run races ({@code run}, {@code explore}, {@code replay}) share: their
 * spec, the top level (whose --time-limit, --seed, --json and --quiet they fall back on), their own
 * --json and --quiet, and a user's unknown race, variant or parameter as a one-line usage error.
 */
@Command(mixinStandardHelpOptions = true)
abstract class RaceCommand {

    @Spec
    CommandSpec spec;

    @ParentCommand
    RacesCli parent;

    @Mixin
    OutputOptions output;

    /** The race named {@code id}. */
    Race race(String id) {
        return usage(() -> Races.byId(id));
    }

    /** {@code race}'s variant named {@code name}. */
    Variant variant(Race race, String name) {
        return usage(() -> race.variant(name));
    }

    /** Checks {@code params} against {@code race}'s parameters. */
    void checkParams(Race race, Map<String, String> params) {
        usage(() -> {
            race.checkParams(params);
            return null;
        });
    }

    /** What {@code read} gives; its IllegalArgumentException (the user's bad input) is bad usage. */
    <T> T usage(Supplier<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
