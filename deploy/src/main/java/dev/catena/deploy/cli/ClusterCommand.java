package dev.catena.deploy.cli;

import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.deploy.zk.StatusJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code catena cluster …}: administration. */
@Command(
    name = "cluster",
    description = "Cluster administration.",
    subcommands = {
      ClusterCommand.Status.class,
      ClusterCommand.RemoveNode.class,
      AddNodeCommand.class,
      ClusterCommand.Rebalance.class,
      ClusterCommand.Gc.class
    })
final class ClusterCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** {@code catena cluster status [--json]}. */
  @Command(name = "status", description = "Chains with epoch, members and roles; node liveness.")
  static final class Status implements Callable<Integer> {
    @picocli.CommandLine.Mixin ClientOptions opts;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    @Override
    public Integer call() {
      try (var admin = opts.admin()) {
        ClusterAdmin.Status s = admin.status(opts.cluster);
        System.out.println(json ? StatusFormat.json(s) : StatusFormat.text(s));
      }
      return 0;
    }
  }

  /** {@code catena cluster remove-node ID}: drain a node out of every chain. */
  @Command(
      name = "remove-node",
      description =
          "Drain a node: a replacement joins each of its chains first, then it leaves them;"
              + " stop the node afterwards.")
  static final class RemoveNode implements Callable<Integer> {
    @picocli.CommandLine.Mixin ClientOptions opts;

    @picocli.CommandLine.Parameters(paramLabel = "NODE_ID")
    String nodeId;

    @Override
    public Integer call() {
      try (var admin = opts.admin()) {
        admin.requestRemoveNode(nodeId);
      }
      System.out.println(
          "drain of "
              + nodeId
              + " requested; watch `catena cluster status` until it is in no chain");
      return 0;
    }
  }

  /** {@code catena cluster rebalance}: restore one head and one tail per node. */
  @Command(name = "rebalance", description = "Restore role balance (one chain at a time).")
  static final class Rebalance implements Callable<Integer> {
    @picocli.CommandLine.Mixin ClientOptions opts;

    @Override
    public Integer call() {
      try (var admin = opts.admin()) {
        admin.requestRebalance();
      }
      System.out.println("rebalance requested");
      return 0;
    }
  }

  /** {@code catena cluster gc [--grace 1h]}: one pass of lazy chunk garbage collection. */
  @Command(
      name = "gc",
      description =
          "Delete chunks no object references (of overwritten or deleted objects, failed puts)"
              + " that are older than the grace period; nodes reclaim the space as they compact.")
  static final class Gc implements Callable<Integer> {
    @picocli.CommandLine.Mixin ClientOptions opts;

    @Option(
        names = "--grace",
        defaultValue = "1h",
        description = "spare chunks younger than this (puts in flight), e.g. 30m, 1h; default 1h")
    String grace;

    @Override
    public Integer call() {
      java.time.Duration g = parseGrace(grace);
      try (var client = opts.connect()) {
        var r = client.collectGarbage(g);
        System.out.printf(
            "deleted %d of %d chunks (%d bytes); %d bytes unreferenced but younger than %s%n",
            r.chunksDeleted(), r.chunksStored(), r.bytesDeleted(), r.bytesUnreferencedYoung(), g);
      }
      return 0;
    }

    static java.time.Duration parseGrace(String s) {
      try {
        return DurationConverter.parse(s);
      } catch (IllegalArgumentException e) {
        throw CliException.invalid("--grace: " + e.getMessage());
      }
    }
  }

  /** Renders a status report. */
  static final class StatusFormat {
    private StatusFormat() {}

    static String text(ClusterAdmin.Status s) {
      var b = new StringBuilder();
      b.append("cluster ")
          .append(s.cluster())
          .append(" (shard map v")
          .append(s.shardMapVersion())
          .append(")\n");
      b.append(
          String.format(
              "%-10s %-6s %-22s %5s %5s %10s %11s %10s %-21s %s%n",
              "NODE",
              "LIVE",
              "ADDRESS",
              "HEADS",
              "TAILS",
              "CHUNKS",
              "RECLAIMABLE",
              "RECLAIMED",
              "SCRUBBED/BAD/REPAIRED",
              "RECORDS/BAD"));
      for (var n : s.nodes()) {
        b.append(
            String.format(
                "%-10s %-6s %-22s %5d %5d %10s %11s %10s %-21s %d/%d%n",
                n.nodeId(),
                n.live() ? "up" : "DOWN",
                n.address(),
                n.heads(),
                n.tails(),
                SyncProgressFormat.size(n.storage().getChunkBytes()),
                SyncProgressFormat.size(n.storage().getReclaimableBytes()),
                SyncProgressFormat.size(n.storage().getReclaimedBytes()),
                n.storage().getScrubChunksScanned()
                    + "/"
                    + n.storage().getScrubChunksBad()
                    + "/"
                    + n.storage().getScrubChunksRepaired(),
                n.storage().getScrubRecordsScanned(),
                n.storage().getScrubRecordsBad()));
      }
      b.append(
          String.format("%-6s %-6s %s%n", "CHAIN", "EPOCH", "MEMBERS (head -> tail) [syncing]"));
      for (var c : s.chains()) {
        b.append(
            String.format(
                "%-6d %-6d %s%s%n",
                c.chainId(),
                c.epoch(),
                String.join(" -> ", c.members()),
                c.syncing().isEmpty() ? "" : " [" + String.join(", ", c.syncing()) + "]"));
        for (var p : c.sync()) {
          b.append("       syncing ").append(SyncProgressFormat.statusLine(p)).append('\n');
        }
      }
      return b.toString().stripTrailing();
    }

    static String json(ClusterAdmin.Status s) {
      return StatusJson.MAPPER.writeValueAsString(StatusJson.tree(s));
    }
  }
}
