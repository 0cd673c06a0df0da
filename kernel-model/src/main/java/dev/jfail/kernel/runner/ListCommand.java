package dev.jfail.kernel.runner;

import dev.jfail.cli.Json;
import dev.jfail.kernel.race.Race;
import dev.jfail.kernel.race.Races;
import dev.jfail.kernel.race.Variant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code list}: the races, their variants, the seed's failpoints and the parameters. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the races: variants (history order, the fix last), seed failpoints, parameters.")
final class ListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print the list as JSON.")
    boolean json;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            List<Object> races = new ArrayList<>();
            for (Race r : Races.all()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", r.id());
                m.put("title", r.title());
                List<Object> variants = new ArrayList<>();
                for (Variant v : r.variants()) {
                    variants.add(Map.of("name", v.name(), "fixed", v.fixed(), "description", v.description()));
                }
                m.put("variants", variants);
                m.put("seedFailpoints", r.seedFailpoints());
                m.put("params", r.params());
                races.add(m);
            }
            out.println(Json.write(Map.of("races", races)));
        } else {
            for (Race r : Races.all()) {
                out.printf("%s  %s%n", r.id(), r.title());
                for (Variant v : r.variants()) {
                    out.printf("    %-12s %s%s%n", v.name(), v.fixed() ? "[fix] " : "", v.description());
                }
                out.printf("  failpoints (the seed's settings): %s%n", Batch.settings(r.seedFailpoints()));
                r.params().forEach((k, v) -> out.printf("  --param %s=%s%n", k, v));
                out.println();
            }
        }
        out.flush();
        return 0;
    }
}
