package dev.jfail;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import java.nio.file.Path;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The one rule every extension (JUnit 5, the DSL and Spock) checks against its own compiled classes:
 * of jfail it uses the API ({@code dev.jfail}) and the SPI ({@code dev.jfail.spi}) only, so that a
 * new internal package of the agent is forbidden without anyone listing it.
 */
public final class ExtensionRules {

    private ExtensionRules() {
    }

    /** Fails when a class of the calling module (its {@code target/classes}) uses an internal package of the agent. */
    public static void checkUsesOnlyTheApiAndTheSpi(String... ownPackages) {
        String[] allowed = new String[ownPackages.length + 2];
        allowed[0] = "dev.jfail";
        allowed[1] = "dev.jfail.spi..";
        for (int i = 0; i < ownPackages.length; i++) {
            allowed[i + 2] = ownPackages[i] + "..";
        }
        DescribedPredicate<JavaClass> internal = resideInAPackage("dev.jfail..").and(DescribedPredicate.not(resideInAnyPackage(allowed)));
        noClasses().should().dependOnClassesThat(internal.as("belong to the agent's internals"))
                .because("extensions reach the agent through dev.jfail (the API) and dev.jfail.spi")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPath(Path.of("target", "classes")));
    }
}
