package io.noprop.controller;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module dependency rule (README.md, "Layout"), checked on bytecode:
 * <pre>
 *   firmware-protocol  <-  device-drivers  <-  controller  ->  calibration
 *   firmware-protocol  <-  simulator
 * </pre>
 * The controller reaches the simulator only through ServiceLoader ({@code sim:} URIs).
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void importAll() {
    classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.noprop");
  }

  @Test
  void everyModuleIsOnTheClassPathSoTheRulesBite() {
    for (String pkg : new String[] {"io.noprop.protocol", "io.noprop.driver", "io.noprop.sim", "io.noprop.calibration", "io.noprop.controller"}) {
      if (classes.stream().noneMatch(c -> c.getPackageName().startsWith(pkg))) {
        throw new AssertionError("no classes imported from " + pkg + "; the architecture rules would pass vacuously");
      }
    }
  }

  @Test
  void controllerNeverImportsTheSimulator() {
    noClasses().that().resideInAPackage("io.noprop.controller..").should().dependOnClassesThat().resideInAPackage("io.noprop.sim..").check(classes);
  }

  @Test
  void protocolDependsOnNoOtherModule() {
    noClasses().that().resideInAPackage("io.noprop.protocol..").should().dependOnClassesThat()
        .resideInAnyPackage("io.noprop.driver..", "io.noprop.sim..", "io.noprop.controller..", "io.noprop.calibration..").check(classes);
  }

  @Test
  void driversDependOnlyOnTheProtocol() {
    noClasses().that().resideInAPackage("io.noprop.driver..").should().dependOnClassesThat()
        .resideInAnyPackage("io.noprop.sim..", "io.noprop.controller..", "io.noprop.calibration..").check(classes);
  }

  @Test
  void simulatorDependsOnlyOnTheProtocol() {
    noClasses().that().resideInAPackage("io.noprop.sim..").should().dependOnClassesThat()
        .resideInAnyPackage("io.noprop.driver..", "io.noprop.controller..", "io.noprop.calibration..").check(classes);
  }

  @Test
  void calibrationNeverImportsTheControllerOrTheSimulator() {
    noClasses().that().resideInAPackage("io.noprop.calibration..").should().dependOnClassesThat()
        .resideInAnyPackage("io.noprop.controller..", "io.noprop.sim..").check(classes);
  }
}
