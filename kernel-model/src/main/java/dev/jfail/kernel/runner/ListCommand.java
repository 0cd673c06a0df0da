package dev.jfail.kernel.runner;

import dev.jfail.cli.Json;
import dev.jfail.kernel.race.Param;
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

/** {@code list}: the races, their variants, their preset failpoint settings (and whose) and the parameters. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the races: variants (history order, the fix last), preset failpoint settings, parameters.")
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
                    Map<String, Object> vm = new LinkedHashMap<>();
                    vm.put("name", v.name());
                    vm.put("fixed", v.fixed());
                    vm.put("patches", v.patches());
                    vm.put("description", v.description());
                    variants.add(vm);
                }
                m.put("variants", variants);
                Map<String, Object> settings = new LinkedHashMap<>();
                settings.put("failpoints", r.settings().failpoints());
                settings.put("whose", r.settings().source());
                m.put("presetSettings", settings);
                List<Object> params = new ArrayList<>();
                for (Param p : r.params()) {
                    Map<String, Object> pm = new LinkedHashMap<>();
                    pm.put("name", p.name());
                    pm.put("default", p.dflt());
                    pm.put("min", p.min());
                    pm.put("max", p.max());
                    pm.put("doc", p.doc());
                    params.add(pm);
                }
                m.put("params", params);
                races.add(m);
            }
            out.println(Json.write(Map.of("races", races)));
        } else {
            for (Race r : Races.all()) {
                out.printf("%s  %s%n", r.id(), r.title());
                for (Variant v : r.variants()) {
                    out.printf("    %-12s %s%s%n", v.name(), v.fixed() ? "[fix] " : "", v.description());
                }
                out.printf("  preset failpoint settings (%s): %s%n", r.settings().source(),
                        Failpoints.preset(r).joined());
                r.params().forEach(p -> out.printf("  --param %s=%d  (%d..%d) %s%n", p.name(), p.dflt(), p.min(), p.max(), p.doc()));
                out.println();
            }
        }
        out.flush();
        return 0;
    }
}
