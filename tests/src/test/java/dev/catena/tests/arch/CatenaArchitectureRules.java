package dev.catena.tests.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.util.List;

/**
 * The module boundaries of DESIGN.md section 1 as ArchUnit rules. Every rule is written relative to
 * a root package so that the very same rule can be evaluated against the real code (root {@code
 * dev.catena}) and against a deliberately violating fixture tree (root {@code
 * dev.catena.tests.arch.fixture}), which proves that each rule can fail.
 */
final class CatenaArchitectureRules {
  private CatenaArchitectureRules() {}

  /** Curator and ZooKeeper only in {@code ..zk..} packages (and the tests module). */
  static ArchRule zooKeeperOnlyInZkPackages(String root) {
    return noClasses()
        .that()
        .resideOutsideOfPackages("..zk..", root + ".tests..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.curator..", "org.apache.zookeeper..")
        .as("Curator/ZooKeeper are used only in ..zk.. packages")
        .allowEmptyShould(true);
  }

  /** LevelDB only in chain-node's storage engine. */
  static ArchRule levelDbOnlyInChainStorage(String root) {
    return noClasses()
        .that()
        .resideOutsideOfPackage(root + ".chain.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.iq80..")
        .as("LevelDB is used only in " + root + ".chain.storage")
        .allowEmptyShould(true);
  }

  /** gRPC only in transport packages, the client library and generated proto code. */
  static ArchRule grpcOnlyInTransportClientAndProto(String root) {
    return noClasses()
        .that()
        .resideOutsideOfPackages("..transport..", root + ".client..", root + ".proto..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.grpc..")
        .as("io.grpc is used only in ..transport.., client and generated proto code")
        .allowEmptyShould(true);
  }

  /**
   * The chain protocol, the sharding math and the Frangipani lock core (lock table, clerk lock
   * state machine) do no I/O, use no threads, clocks or gRPC.
   */
  static ArchRule protocolAndShardingArePure(String root) {
    return noClasses()
        .that()
        .resideInAnyPackage(
            root + ".chain.protocol..", root + ".sharding..", root + ".frangipani.lock..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "java.io..",
            "java.nio.file..",
            "java.nio.channels..",
            "java.net..",
            "java.util.concurrent..",
            "io.grpc..")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Clock.class)
        .as(
            "chain.protocol, sharding and frangipani.lock are pure: no I/O, threads, clocks or gRPC")
        .allowEmptyShould(true);
  }

  /**
   * frangipani-locks builds on the public client only (DESIGN §1: proto, client, curator): it never
   * reaches into the storage node, the coordinator or the deployment code.
   */
  static ArchRule frangipaniUsesOnlyProtoAndClient(String root) {
    return noClasses()
        .that()
        .resideInAPackage(root + ".frangipani..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            root + ".chain..", root + ".config..", root + ".deploy..", root + ".client.impl..")
        .as("frangipani depends only on proto, the public client and Curator")
        .allowEmptyShould(true);
  }

  /** All rules for the given root. */
  static List<ArchRule> all(String root) {
    return List.of(
        zooKeeperOnlyInZkPackages(root),
        levelDbOnlyInChainStorage(root),
        grpcOnlyInTransportClientAndProto(root),
        protocolAndShardingArePure(root),
        frangipaniUsesOnlyProtoAndClient(root));
  }
}
