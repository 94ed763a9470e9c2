package dev.batchgate.facade.llm;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class LlmArchitectureTest {

    @Test
    void should_keep_camel_types_out_of_the_llm_package_when_it_plugs_into_the_engine_through_an_item_handler() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.batchgate.facade.llm");

        noClasses().should().dependOnClassesThat().resideInAPackage("org.apache.camel..").check(classes);
    }
}
