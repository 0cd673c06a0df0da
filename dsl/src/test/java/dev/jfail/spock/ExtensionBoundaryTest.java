package dev.jfail.spock;

import dev.jfail.ExtensionRules;
import org.junit.jupiter.api.Test;

/** The DSL and the Spock extension are built on jfail's API and its SPI only, never on the agent's internals. */
class ExtensionBoundaryTest {

    @Test
    void theDslAndTheExtensionUseOnlyTheApiAndTheSpi() {
        ExtensionRules.checkUsesOnlyTheApiAndTheSpi("dev.jfail.spock", "dev.jfail.dsl");
    }
}
