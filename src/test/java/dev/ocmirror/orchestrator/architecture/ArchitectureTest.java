package dev.ocmirror.orchestrator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.junit.jupiter.api.Test;

/**
 * The shape of the house: the domain runs without Camunda and without the process adapters, the capabilities
 * import one another without circles, and the adapters to the engine live in one place.
 */
class ArchitectureTest {

  private static final JavaClasses PRODUCT = new ClassFileImporter().withImportOption(new ImportOption.DoNotIncludeTests())
      .importPackages("dev.ocmirror.orchestrator");

  private static final String[] DOMAIN = {"..orchestrator.lifecycle..", "..orchestrator.ledger..",
      "..orchestrator.transfer..", "..orchestrator.ocmirror..", "..orchestrator.remote..", "..orchestrator.control..",
      "..orchestrator.integrity..", "..orchestrator.registry..", "..orchestrator.simulator..", "..orchestrator.airgap..", "..orchestrator.progress.."};

  @Test
  void theDomainKnowsNoEngine() {
    ArchRule rule = noClasses().that().resideInAnyPackage(DOMAIN)
        .should().dependOnClassesThat().resideInAnyPackage("org.camunda..")
        .because("the domain code runs and is tested without Camunda; delegates are thin adapters");
    rule.check(PRODUCT);
  }

  @Test
  void theDomainKnowsNoAdapter() {
    ArchRule rule = noClasses().that().resideInAnyPackage(DOMAIN)
        .should().dependOnClassesThat().resideInAnyPackage("..orchestrator.process..", "..orchestrator.access..",
            "..orchestrator.audit..", "..orchestrator.bpmn..", "..orchestrator.demo..")
        .because("process variables, ids and the web are the adapters' business, not the domain's");
    rule.check(PRODUCT);
  }

  @Test
  void theCapabilitiesImportOneAnotherWithoutCircles() {
    ArchRule rule = slices().matching("dev.ocmirror.orchestrator.(*)..").should().beFreeOfCycles();
    rule.check(PRODUCT);
  }

  @Test
  void delegatesAreProcessAdapters() {
    ArchRule rule = classes().that().implement(JavaDelegate.class)
        .should().resideInAPackage("..orchestrator.process..")
        .because("a service task's adapter is found next to the others");
    rule.check(PRODUCT);
  }

  @Test
  void theContractDependsOnNothing() {
    ArchRule rule = noClasses().that().resideInAPackage("..orchestrator.bpmn..")
        .should().dependOnClassesThat().resideOutsideOfPackages("java..", "..orchestrator.bpmn..")
        .because("Java and the models share names only: every other package may read the contract");
    rule.check(PRODUCT);
  }
}
