package dev.jfail;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The agent's shape, read from its compiled classes (qualified names and reflection-free uses
 * included, not only import lines): its packages form no cycle, the API depends on no test
 * framework, and what instrumented classes link to at run time never loads ASM.
 */
class ArchitectureTest {

    /** The agent's own classes as compiled (the module's build directory; the shaded copy relocates ASM). */
    private static final JavaClasses AGENT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPath(Path.of("target", "classes"));

    @Test
    void theAgentsPackagesFormNoCycle() {
        slices().matching("dev.jfail.(*)..").should().beFreeOfCycles().check(AGENT);
    }

    @Test
    void whatInstrumentedClassesLinkToLoadsNoAsm() {
        noClasses().that().resideInAPackage("dev.jfail.bootstrap..")
                .should().dependOnClassesThat().resideInAnyPackage("net.bytebuddy..", "dev.jfail.tooling..")
                .because("bootstrap is what every instrumented class links to; ASM is loaded only to instrument")
                .check(AGENT);
        noClasses().that().resideInAnyPackage("dev.jfail.core..", "dev.jfail")
                .should().dependOnClassesThat().resideInAnyPackage("net.bytebuddy..", "dev.jfail.tooling..")
                .because("bootstrap depends on the core and the API, so they must not load ASM either")
                .check(AGENT);
    }

    @Test
    void theCoreKnowsNeitherTheTraceNorTheReplayNorTheAgent() {
        noClasses().that().resideInAPackage("dev.jfail.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "dev.jfail.trace..", "dev.jfail.replay..", "dev.jfail.agent..", "dev.jfail.spi..",
                        "dev.jfail.explore..", "dev.jfail.control..", "dev.jfail.cli..", "dev.jfail.jmx..")
                .because("the trace and the replay install themselves into the core (Crossings), as the MBean does")
                .check(AGENT);
    }

    @Test
    void theApiAndTheCoreUseNoTestFramework() {
        noClasses().that().resideOutsideOfPackage("dev.jfail.spi..")
                .should().dependOnClassesThat().resideInAnyPackage("org.junit..", "org.spockframework..", "spock..")
                .check(AGENT);
    }
}
