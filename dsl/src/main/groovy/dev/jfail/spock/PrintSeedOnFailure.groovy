package dev.jfail.spock

import dev.jfail.FailPoints as Facade
import dev.jfail.spi.SelfAttach
import dev.jfail.spi.TestRuns
import dev.jfail.spi.TestReports
import groovy.transform.CompileStatic
import org.spockframework.runtime.AbstractRunListener
import org.spockframework.runtime.model.ErrorInfo

/**
 * When a feature of a spec using jfail fails, prints the seed its rolls came from and how to
 * replay them, on stderr and attached to the failure itself (as a suppressed {@link ReplayHint})
 * so it shows in every report.
 */
@CompileStatic
final class PrintSeedOnFailure extends AbstractRunListener {

    /** "-N" for the Nth iteration of a data-driven feature, so each failing iteration keeps its own report; else empty. */
    private static String iteration(ErrorInfo error) {
        def context = error.errorContext
        context?.feature?.parameterized && context.iteration != null ? '-' + (context.iteration.iterationIndex + 1) : ''
    }

    @Override
    void error(ErrorInfo error) {
        if (!SelfAttach.agentLoaded()) {
            return // no failpoint ran, so there is nothing to replay: the failure says the agent is missing
        }
        if (error.exception instanceof ExploreExtension.ExploredFailure) {
            return // it carries its own setting and seed; the run's seed and record would mislead
        }
        String feature = error.errorContext?.feature?.name ?: error.method?.name ?: error.errorContext?.spec?.name
        String hint = TestRuns.replayHint(feature, Facade.seed(), '@dev.jfail.spock.Seed', 'feature')
        System.err.println(hint)
        Throwable failure = error.exception
        if (failure != null && !failure.suppressed.any { Throwable t -> t instanceof ReplayHint && t.message == hint }) {
            failure.addSuppressed(new ReplayHint(hint))
            String spec = error.errorContext?.spec?.name ?: error.method?.parent?.name ?: 'spec'
            String files = TestReports.failed(spec + '-' + feature + iteration(error), failure, '@dev.jfail.spock.Replay')
            if (files != null) {
                System.err.println(files)
                failure.addSuppressed(new ReplayHint(files))
            }
        }
    }
}
