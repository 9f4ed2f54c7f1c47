package dev.catena.tests.arch;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Enforces the module boundaries of DESIGN.md section 1 over every {@code dev.catena} class on the
 * test classpath (all modules this one depends on, plus this module's main and test code), and
 * proves with a violating fixture tree that each rule can fail.
 */
class ArchitectureTest {
  private static final String ROOT = "dev.catena";
  private static final String FIXTURE = "dev.catena.tests.arch.fixture";
  private static final Pattern FIXTURE_CLASS =
      Pattern.compile(Pattern.quote(FIXTURE) + "\\.(?:[a-z]\\w*\\.)*([A-Z]\\w*)");

  private static JavaClasses production;
  private static JavaClasses fixtures;

  @BeforeAll
  static void importClasses() {
    production =
        new ClassFileImporter()
            .withImportOption(location -> !location.contains("/dev/catena/tests/arch/fixture/"))
            .importPackages(ROOT);
    fixtures = new ClassFileImporter().importPackages(FIXTURE);
  }

  @Test
  void importSeesTheCodeItIsMeantToCheck() {
    assertThat(production.containPackage("dev.catena.proto.v1")).isTrue();
    assertThat(production.contain("dev.catena.frangipani.lock.LockTable")).isTrue();
    assertThat(production.contain("dev.catena.tests.linearizability.LinearizabilityChecker"))
        .isTrue();
    assertThat(production.stream().map(c -> c.getPackageName()))
        .noneMatch(p -> p.startsWith(FIXTURE));
  }

  // --- the boundaries themselves (DESIGN.md section 1) --------------------------------------

  @Test
  void zooKeeperOnlyInZkPackages() {
    CatenaArchitectureRules.zooKeeperOnlyInZkPackages(ROOT).check(production);
  }

  @Test
  void levelDbOnlyInChainStorage() {
    CatenaArchitectureRules.levelDbOnlyInChainStorage(ROOT).check(production);
  }

  @Test
  void grpcOnlyInTransportClientAndProto() {
    CatenaArchitectureRules.grpcOnlyInTransportClientAndProto(ROOT).check(production);
  }

  @Test
  void protocolAndShardingArePure() {
    CatenaArchitectureRules.protocolAndShardingArePure(ROOT).check(production);
  }

  @Test
  void frangipaniUsesOnlyProtoAndClient() {
    CatenaArchitectureRules.frangipaniUsesOnlyProtoAndClient(ROOT).check(production);
  }

  // --- each rule can fail: the same rules over the fixture tree -----------------------------

  @Test
  void zooKeeperRuleFlagsExactlyTheFixtureViolators() {
    assertThat(violators(CatenaArchitectureRules::zooKeeperOnlyInZkPackages))
        .containsExactly("NodeUsesCurator", "NodeUsesZooKeeper");
  }

  @Test
  void levelDbRuleFlagsExactlyTheFixtureViolators() {
    assertThat(violators(CatenaArchitectureRules::levelDbOnlyInChainStorage))
        .containsExactly("NodeUsesLevelDb");
  }

  @Test
  void grpcRuleFlagsExactlyTheFixtureViolators() {
    assertThat(violators(CatenaArchitectureRules::grpcOnlyInTransportClientAndProto))
        .containsExactly("NodeUsesGrpc", "ProtocolUsesGrpc");
  }

  @Test
  void purityRuleFlagsEveryForbiddenDependencyKind() {
    assertThat(violators(CatenaArchitectureRules::protocolAndShardingArePure))
        .containsExactly(
            "LockCoreUsesConcurrent",
            "ProtocolReadsClock",
            "ProtocolUsesClock",
            "ProtocolUsesConcurrent",
            "ProtocolUsesGrpc",
            "ProtocolUsesIo",
            "ProtocolUsesNio",
            "ProtocolUsesThread",
            "ShardingUsesThread");
  }

  @Test
  void frangipaniRuleFlagsExactlyTheFixtureViolators() {
    assertThat(violators(CatenaArchitectureRules::frangipaniUsesOnlyProtoAndClient))
        .containsExactly("FrangipaniUsesChainStorage");
  }

  /** Simple names of the fixture classes that violate the rule built for the fixture root. */
  private static Set<String> violators(Function<String, ArchRule> rule) {
    assertThat(fixtures.size()).isGreaterThanOrEqualTo(20);
    EvaluationResult result = rule.apply(FIXTURE).evaluate(fixtures);
    assertThat(result.hasViolation()).isTrue();
    Set<String> names = new TreeSet<>();
    for (String detail : result.getFailureReport().getDetails()) {
      Matcher m = FIXTURE_CLASS.matcher(detail);
      assertThat(m.find()).as(detail).isTrue();
      names.add(m.group(1));
    }
    return names;
  }
}
