package dev.savepoints.app;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

/** The modules downstream of command-side see its api package only, never the aggregate. */
class ArchitectureTest {

    static final ArchRule ONLY_THE_API_OF_COMMAND_SIDE = noClasses()
            .that().resideInAnyPackage("dev.savepoints.k8s..", "dev.savepoints.flink..", "dev.savepoints.query..")
            .should().dependOnClassesThat(resideInAPackage("dev.savepoints.command..")
                    .and(not(resideInAPackage("dev.savepoints.command.api.."))))
            .because("k8s-bridge, flink-gateway and query-side talk to the decision core through messages only");

    static final ArchRule API_STANDS_ALONE = noClasses()
            .that().resideInAPackage("dev.savepoints.command.api..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.savepoints.command.aggregate..",
                    "dev.savepoints.command.config..", "dev.savepoints.k8s..", "dev.savepoints.flink..",
                    "dev.savepoints.query..", "dev.savepoints.db..", "org.springframework..");

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.savepoints");

    @Test
    void modulesDependOnTheApiPackageOnly() {
        ONLY_THE_API_OF_COMMAND_SIDE.check(PRODUCTION);
        API_STANDS_ALONE.check(PRODUCTION);
    }

    @Test
    void theRuleCatchesAModuleThatReachesIntoTheAggregate() {
        JavaClasses offender = new ClassFileImporter().importClasses(
                dev.savepoints.flink.ArchitectureOffender.class, dev.savepoints.command.aggregate.FlinkJob.class);
        EvaluationResult result = ONLY_THE_API_OF_COMMAND_SIDE.evaluate(offender);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("ArchitectureOffender").contains("FlinkJob");
    }
}
