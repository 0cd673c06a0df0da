package dev.jfail.junit;

import dev.jfail.ExtensionRules;
import org.junit.jupiter.api.Test;

/** The JUnit 5 extension is built on jfail's API and its SPI only, never on the agent's internals. */
class ExtensionBoundaryTest {

    @Test
    void theExtensionUsesOnlyTheApiAndTheSpi() {
        ExtensionRules.checkUsesOnlyTheApiAndTheSpi("dev.jfail.junit");
    }
}
