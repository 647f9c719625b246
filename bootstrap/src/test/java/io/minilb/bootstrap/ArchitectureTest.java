package io.minilb.bootstrap;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The hexagon's arrows point inward only. */
@AnalyzeClasses(packages = "io.minilb", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule domainIsPureJava = classes()
            .that().resideInAPackage("io.minilb.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.minilb.domain..");

    @ArchTest
    static final ArchRule applicationKnowsOnlyTheDomain = classes()
            .that().resideInAPackage("io.minilb.application..")
            .should().onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "io.minilb.domain..", "io.minilb.application..", "org.slf4j..");

    @ArchTest
    static final ArchRule inboundAdapterDoesNotKnowOutbound = noClasses()
            .that().resideInAPackage("io.minilb.adapters.in..")
            .should().dependOnClassesThat().resideInAnyPackage("io.minilb.adapters.out..", "io.minilb.bootstrap..");

    @ArchTest
    static final ArchRule outboundAdapterDoesNotKnowInbound = noClasses()
            .that().resideInAPackage("io.minilb.adapters.out..")
            .should().dependOnClassesThat().resideInAnyPackage("io.minilb.adapters.in..", "io.minilb.bootstrap..");

    @ArchTest
    static final ArchRule guiceStaysInBootstrap = noClasses()
            .that().resideOutsideOfPackage("io.minilb.bootstrap..")
            .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..");
}
