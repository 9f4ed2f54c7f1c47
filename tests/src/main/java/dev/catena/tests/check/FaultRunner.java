package dev.catena.tests.check;

import dev.catena.client.CatenaClient;
import dev.catena.tests.check.netns.CommandRunner;
import dev.catena.tests.check.netns.PartitionSupport;
import dev.catena.tests.check.netns.ProcessCommandRunner;
import dev.catena.tests.history.History;
import dev.catena.tests.history.HistoryRecorder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * One fault-injection run (DESIGN §9, "real processes"): starts a local cluster under {@code out},
 * runs a {@link Workload} of concurrent clients while a {@link Nemesis} injects faults for the
 * given time, heals (SIGCONT every paused node, restarts every killed one), waits until every chain
 * is back to full length with only ACTIVE members, reads every key, checks the history ({@link
 * HistoryCheck}) and writes {@code history.jsonl}, {@code timeline.html} and {@code report.txt}.
 * The result's {@link CheckSummary#passed()} is false on any violation, an UNKNOWN verdict, a lost
 * acknowledged write, a failed final read or a cluster that did not recover.
 */
public final class FaultRunner {
  /** The bucket the workload uses. */
  public static final String BUCKET = "check";

  /** Final reads run on a healed cluster: a long budget, so they do not fail for a slow moment. */
  private static final Duration FINAL_READ_TIMEOUT = Duration.ofSeconds(20);

  private static final Duration RECOVERY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

  private final FaultOptions options;
  private final PrintStream log;

  private final CommandRunner commands;

  public FaultRunner(FaultOptions options, PrintStream log) {
    this(options, log, new ProcessCommandRunner(COMMAND_TIMEOUT));
  }

  /**
   * A runner whose {@code ip} / {@code iptables} commands (partition support probe, namespaces,
   * rules) go through {@code commands}.
   */
  public FaultRunner(FaultOptions options, PrintStream log, CommandRunner commands) {
    this.options = options;
    this.log = log;
    this.commands = commands;
  }

  /** Runs the whole check; the summary line is printed by the caller. */
  public CheckSummary run() throws InterruptedException, IOException {
    Path clusterDir = options.out().resolve("cluster");
    if (Files.isDirectory(clusterDir)) {
      throw new InvalidCheckOptionsException(
          clusterDir + " already holds a cluster from an earlier run; choose another --out");
    }
    var random = new SplittableRandom(options.seed());
    Set<NemesisKind> kinds = EnumSet.noneOf(NemesisKind.class);
    kinds.addAll(options.nemesis());
    List<String> notes = new ArrayList<>();
    notes.add("seed=" + options.seed() + " nemesis=" + options.nemesis());
    PartitionSupport support =
        kinds.contains(NemesisKind.PARTITION) ? PartitionSupport.probe(commands) : null;
    if (support != null) {
      if (!support.supported()) {
        kinds.remove(NemesisKind.PARTITION);
        log.println(support.skipMessage());
        notes.add(support.skipMessage());
      }
    }
    log.printf(
        "starting %d nodes (chain length %d) under %s%n",
        options.nodes(), options.chainLength(), options.out().toAbsolutePath());
    try (FaultCluster cluster =
        support != null && support.supported()
            ? FaultCluster.startInNamespaces(
                clusterDir,
                options.nodes(),
                options.chainLength(),
                options.sessionTimeout(),
                random.split(),
                support,
                commands)
            : FaultCluster.start(
                clusterDir,
                options.nodes(),
                options.chainLength(),
                options.sessionTimeout(),
                random.split())) {
      cluster
          .network()
          .ifPresent(
              net -> {
                String line =
                    "network namespaces: "
                        + net.layout().namespacePrefix()
                        + "<node> on "
                        + net.layout().subnetCidr()
                        + " (ZooKeeper and clients at "
                        + net.layout().bridgeAddress()
                        + ", "
                        + support.iptables()
                        + ")";
                log.println(line);
                notes.add(line);
              });
      return runOn(cluster, kinds, random, notes);
    }
  }

  private CheckSummary runOn(
      FaultCluster cluster, Set<NemesisKind> kinds, SplittableRandom random, List<String> notes)
      throws InterruptedException, IOException {
    var recorder = new HistoryRecorder();
    try (CatenaClient client =
            CatenaClient.builder()
                .zookeeper(cluster.zookeeper())
                .cluster(FaultCluster.CLUSTER)
                .requestTimeout(options.requestTimeout())
                .build();
        CatenaClient finalClient =
            CatenaClient.builder()
                .zookeeper(cluster.zookeeper())
                .cluster(FaultCluster.CLUSTER)
                .requestTimeout(FINAL_READ_TIMEOUT)
                .build()) {
      client.createBucket(BUCKET);
      var planner = new NemesisPlanner(kinds, options.sessionTimeout(), random.split());
      var nemesis = new Nemesis(cluster, planner, log);
      Workload workload =
          Workload.start(
              client, recorder, BUCKET, options.clients(), options.keys(), random.split());
      log.printf(
          "workload: %d clients, %d keys, %d s, request timeout %d ms; nemesis %s%n",
          options.clients(),
          options.keys(),
          options.time().toSeconds(),
          options.requestTimeout().toMillis(),
          kinds);
      nemesis.start();
      TimeUnit.MILLISECONDS.sleep(options.time().toMillis());
      nemesis.stop();
      workload.stop();
      workload.awaitDone(options.requestTimeout().plusSeconds(30));
      notes.addAll(nemesis.events());
      NemesisCounts counts = nemesis.counts();
      int required = NemesisCounts.floor(options.time(), NemesisKind.injectsFaults(kinds));
      if (kinds.contains(NemesisKind.PARTITION)) {
        String line = "partitions injected: " + nemesis.partitions();
        log.println(line);
        notes.add(line);
      }
      String faultLine =
          "nemesis " + counts.line() + " (at least " + required + " faults required)";
      log.println(faultLine);
      notes.add(faultLine);
      log.println("healing: heal partitions, SIGCONT paused nodes, restart killed nodes");
      cluster.heal();
      boolean recovered = true;
      try {
        cluster.awaitHealthy(RECOVERY_TIMEOUT);
        log.println("recovered: " + cluster.status().chains());
      } catch (ClusterNotReadyException e) {
        recovered = false;
        log.println("NOT recovered: " + e.getMessage());
        notes.add("not recovered: " + e.getMessage());
      }
      Map<String, Optional<String>> finals =
          Workload.finalReads(finalClient, recorder, BUCKET, options.keys());
      History history = recorder.history();
      CheckSummary summary =
          HistoryCheck.check(
                  history,
                  finals,
                  Workload.keyNames(options.keys()),
                  recovered,
                  Duration.ofSeconds(120))
              .withNemesis(counts, required);
      String title =
          "catena check: "
              + options.nodes()
              + " nodes, chain length "
              + options.chainLength()
              + ", nemesis "
              + options.nemesis()
              + ", seed "
              + options.seed();
      HistoryCheck.writeArtifacts(options.out(), history, summary, title, notes);
      log.println(
          "artifacts: "
              + options.out().resolve("history.jsonl")
              + ", "
              + options.out().resolve("timeline.html"));
      return summary;
    }
  }
}
