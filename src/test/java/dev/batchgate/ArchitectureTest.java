package dev.batchgate;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.batchgate.batch.BatchEngine;
import dev.batchgate.batch.BatchFlow;
import dev.batchgate.batch.BatchLauncher;
import dev.batchgate.batch.GracefulShutdown;
import dev.batchgate.batch.ItemSlots;
import dev.batchgate.batch.ItemSteps;
import dev.batchgate.config.ConfigValues;
import dev.batchgate.store.BatchRecord;
import dev.batchgate.store.IdempotencyRecord;
import dev.batchgate.store.JdbcJobStore;
import dev.batchgate.store.JobStore;
import dev.batchgate.store.ResultWriter;
import dev.batchgate.store.StoredItem;
import dev.batchgate.target.TargetCaller;
import org.junit.jupiter.api.Test;

/**
 * Domain logic stays plain Java so it is tested without a CamelContext; Camel types live only in the
 * glue the routes call ({@link BatchFlow}, {@link ItemSteps}, {@link ItemSlots}), the hand-off to them ({@link BatchLauncher}), the shutdown hook ({@link GracefulShutdown}), the caller of Camel
 * endpoint targets ({@link TargetCaller}) and the start-up wiring.
 */
class ArchitectureTest {

    private static final String CAMEL = "org.apache.camel..";
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.batchgate");

    @Test
    void should_keep_camel_out_of_the_rate_limiter_store_json_and_remediation_packages() {
        noClasses().that().resideInAnyPackage("dev.batchgate.ratelimit..", "dev.batchgate.store..", "dev.batchgate.json..",
                "dev.batchgate.facade.remediation.config..")
                .should().dependOnClassesThat().resideInAPackage(CAMEL)
                .check(CLASSES);
    }

    @Test
    void should_keep_camel_out_of_the_batch_domain_except_the_route_glue() {
        noClasses().that().resideInAPackage("dev.batchgate.batch")
                .and(not(belongToAnyOf(BatchFlow.class, ItemSteps.class, ItemSlots.class, BatchLauncher.class,
                        GracefulShutdown.class)))
                .should().dependOnClassesThat().resideInAPackage(CAMEL)
                .check(CLASSES);
    }

    @Test
    void should_keep_camel_out_of_the_target_domain_except_the_caller() {
        noClasses().that().resideInAPackage("dev.batchgate.target")
                .and(not(belongToAnyOf(TargetCaller.class)))
                .should().dependOnClassesThat().resideInAPackage(CAMEL)
                .check(CLASSES);
    }

    @Test
    void should_keep_camel_out_of_config_value_parsing() {
        noClasses().that().belongToAnyOf(ConfigValues.class)
                .should().dependOnClassesThat().resideInAPackage(CAMEL)
                .check(CLASSES);
    }

    @Test
    void should_keep_entry_points_behind_the_batch_service_when_they_start_or_read_batches() {
        noClasses().that().resideInAnyPackage("dev.batchgate.api..", "dev.batchgate.http..", "dev.batchgate.facade..",
                "dev.batchgate.trigger..", "dev.batchgate.mcp..")
                .should().dependOnClassesThat().belongToAnyOf(BatchEngine.class, JobStore.class, JdbcJobStore.class, ResultWriter.class,
                        BatchRecord.class, StoredItem.class, IdempotencyRecord.class)
                .check(CLASSES);
    }

    @Test
    void should_keep_jdbc_sql_and_the_database_drivers_inside_the_store() {
        noClasses().that().resideOutsideOfPackage("dev.batchgate.store..")
                .should().dependOnClassesThat().resideInAnyPackage("java.sql..", "javax.sql..", "com.zaxxer.hikari..",
                        "org.flywaydb..", "org.h2..", "org.postgresql..")
                .check(CLASSES);
    }

    @Test
    void should_keep_http_and_the_entry_points_out_of_the_engine() {
        noClasses().that().resideInAPackage("dev.batchgate.batch..")
                .should().dependOnClassesThat().resideInAnyPackage("io.vertx..", "dev.batchgate.http..", "dev.batchgate.api..",
                        "dev.batchgate.facade..", "dev.batchgate.trigger..", "dev.batchgate.mcp..", "dev.batchgate.service..")
                .check(CLASSES);
    }
}
