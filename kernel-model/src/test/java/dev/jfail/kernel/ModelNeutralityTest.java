package dev.jfail.kernel;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.jfail.FailPoint;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The kernel model is a neutral substrate: it behaves the same whatever injects into it, and knows
 * jfail only through {@code @FailPoint}. Read from the compiled classes, so a qualified name in the
 * code (a {@code catch (dev.jfail.FailPointPanic e)}) counts as much as an import. The runner, which
 * drives the agent, is the one exception.
 */
class ModelNeutralityTest {

    private static final JavaClasses MODEL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target", "classes"));

    private static final DescribedPredicate<JavaClass> JFAIL_BUT_THE_ANNOTATION =
            resideInAPackage("dev.jfail..").and(resideOutsideOfPackage("dev.jfail.kernel.."))
                    .and(DescribedPredicate.not(equivalentTo(FailPoint.class)))
                    .as("are jfail's classes other than @FailPoint");

    @Test
    void theModelReferencesNothingOfJfailButTheAnnotation() {
        noClasses().that().resideInAPackage("dev.jfail.kernel..").and().resideOutsideOfPackage("dev.jfail.kernel.runner..")
                .should().dependOnClassesThat(JFAIL_BUT_THE_ANNOTATION)
                .check(MODEL);
    }

    @Test
    void theModelDoesNotKnowItsRunner() {
        noClasses().that().resideInAPackage("dev.jfail.kernel..").and().resideOutsideOfPackage("dev.jfail.kernel.runner..")
                .should().dependOnClassesThat().resideInAPackage("dev.jfail.kernel.runner..")
                .check(MODEL);
    }
}
