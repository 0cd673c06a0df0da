package dev.jfail.junit;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The JUnit 5 extension is built on jfail's API and its SPI only, never on the agent's internals. */
class ExtensionBoundaryTest {

    @Test
    void theExtensionUsesOnlyTheApiAndTheSpi() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("dev.jfail.core..", "dev.jfail.trace..", "dev.jfail.replay..", "dev.jfail.explore..",
                        "dev.jfail.tooling..", "dev.jfail.bootstrap..", "dev.jfail.agent..", "dev.jfail.control..",
                        "dev.jfail.cli..", "dev.jfail.config..", "dev.jfail.jmx..")
                .because("extensions reach the agent through dev.jfail (the API) and dev.jfail.spi")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPath(Path.of("target", "classes")));
    }
}
