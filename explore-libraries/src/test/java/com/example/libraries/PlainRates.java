package com.example.libraries;

import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * How often each workload fails with no failpoint set: the baseline the explorer's settings are
 * measured against. Not run by CI; {@code bench/explore-libraries.sh} runs it
 * ({@code -Djfail.plainRuns=N}, default 200) and its lines go into the table.
 */
class PlainRates {

    interface Workload {
        void run() throws Exception;
    }

    @Test
    void plain_rates() throws Exception {
        int runs = Integer.getInteger("jfail.plainRuns", 200);
        Map<String, Workload> workloads = Map.of(
                "log4j-nested-logging", () -> Log4jWorkloads.nestedLogging(true),
                "log4j-async-appender", Log4jWorkloads::asyncLogging,
                "pool2-addObject", () -> Pool2Workloads.preload(false));
        for (var w : workloads.entrySet()) {
            int failed = 0;
            for (int i = 0; i < runs; i++) {
                try {
                    w.getValue().run();
                } catch (AssertionError e) {
                    failed++;
                }
            }
            System.out.printf("plain %s: %d of %d runs fail%n", w.getKey(), failed, runs);
        }
    }
}
