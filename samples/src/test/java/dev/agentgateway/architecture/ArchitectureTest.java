package dev.agentgateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Modules talk to each other only through public API: a class outside module M never uses
 * {@code dev.agentgateway.M.internal}. Checked here because the samples module sees every module's
 * published classes (and the samples themselves, which users copy, must keep to the rule too).
 */
class ArchitectureTest {
    /** The root package of each module with internals. */
    static final List<String> MODULES = List.of("core", "mcp", "llm", "a2a", "policy", "test");

    static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages("dev.agentgateway");
    }

    @Test
    void everyModuleIsImported() {
        for (String module : Stream.concat(MODULES.stream(), Stream.of("samples")).toList()) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith("dev.agentgateway." + module)))
                    .as("classes of dev.agentgateway.%s on the class path", module).isTrue();
        }
        assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith("dev.agentgateway.core.internal")))
                .as("the rule has internals to guard").isTrue();
    }

    @Test
    void noModuleUsesAnotherModulesInternals() {
        for (String module : MODULES) {
            String root = "dev.agentgateway." + module;
            noClasses().that().resideOutsideOfPackage(root + "..")
                    .should().dependOnClassesThat().resideInAPackage(root + ".internal..")
                    .because("modules talk to each other only through public API; " + root + ".internal may change at any release")
                    .check(classes);
        }
    }
}
