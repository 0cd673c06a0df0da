package dev.jfail.specs

import dev.jfail.explore.Exploration
import dev.jfail.explore.Explorer
import dev.jfail.explore.Specs
import dev.jfail.kernel.race.Race
import dev.jfail.kernel.race.Races
import dev.jfail.kernel.race.RunContext
import dev.jfail.kernel.race.RunResult
import dev.jfail.kernel.runner.ModelExploration
import spock.lang.Specification
import spock.lang.Timeout
import spock.util.EmbeddedSpecRunner

import java.time.Duration

/**
 * The Spock feature the explorer hands back is ready to paste: explored on a race of the model, it
 * compiles as given inside a spec, fails on the buggy variant with the explored setting, and passes
 * on the fixed one.
 */
@Timeout(300)
class ExploredSpecPastesSpec extends Specification {

    private static Exploration explore(Race race, String variant) {
        RunContext ctx = new RunContext(Duration.ofSeconds(2), [:])
        Explorer.of({ long seed -> race.runOnce(variant, ctx.withSeed(seed)) } as Explorer.Workload<RunResult>)
                .symptom { RunResult r -> r.failed() && r.kind() != RunResult.Kind.TIMEOUT }
                .strategies(ModelExploration.STRATEGIES)
                .budget(Duration.ofSeconds(60), 10_000).seed(17).explore()
    }

    private static String spec(String feature) {
        """
        import dev.jfail.kernel.race.*
        import dev.jfail.spock.*
        import java.time.Duration

        class Pasted extends Specification {
        ${feature}
        }
        """
    }

    def "the feature handed back for the md bitmap race fails on the buggy variant and passes on the fixed one"() {
        given:
        Race race = Races.byId('md-bitmap')
        Exploration e = explore(race, 'buggy')
        def code = { String variant ->
            new Specs.Code("md-bitmap ${variant} survives", [],
                    "Races.byId(\"md-bitmap\").runOnce(\"${variant}\", new RunContext(Duration.ofSeconds(2), Map.of()))",
                    'result.failed() && result.kind() != RunResult.Kind.TIMEOUT')
        }
        def runner = new EmbeddedSpecRunner(throwFailure: false)

        expect:
        e.found()

        when: 'the pasted feature runs on each variant; on the buggy one, again while it has not failed'
        // its repetitions give 99% odds at the rate the explorer measured; on a busy machine the rate
        // of the moment may be lower, so the buggy run is tried up to five times (what counts is that it fails)
        int buggyFailures = 0
        for (int i = 0; i < 5 && buggyFailures == 0; i++) {
            buggyFailures = runner.runWithImports(spec(Specs.spock(e, code('buggy')))).failures.size()
        }
        def fixed = runner.runWithImports(spec(Specs.spock(e, code('fixed'))))

        then:
        buggyFailures >= 1
        fixed.failures.empty && fixed.testsSucceededCount >= 1
    }
}
