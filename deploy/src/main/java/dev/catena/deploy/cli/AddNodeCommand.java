package dev.catena.deploy.cli;

import dev.catena.deploy.zk.ClusterAdmin;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code catena cluster add-node}: runs a new storage node in the foreground and shows its joins
 * (SYNCING → ACTIVE) until it holds an ACTIVE membership. The coordinator decides which chains it
 * joins (short chains first, then role balance).
 */
@Command(
    name = "add-node",
    description =
        "Start a node here and follow its joins (snapshot + catch-up) until it is active.")
final class AddNodeCommand extends NodeCommand {
  @Option(names = "--join-timeout-s", defaultValue = "600", description = "give up following after")
  long joinTimeoutS;

  @Override
  void afterStart() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(joinTimeoutS).toNanos();
    try (var admin = ClusterAdmin.connect(zk, cluster);
        ProgressBar bar =
            new ProgressBarBuilder()
                .setTaskName("join " + id)
                .setUnit(" MiB", 1 << 20)
                .setInitialMax(-1)
                .build()) {
      while (System.nanoTime() < deadline) {
        ClusterAdmin.Status s = admin.status(cluster);
        long bytes = 0;
        boolean syncing = false;
        boolean active = false;
        for (ClusterAdmin.ChainStatus c : s.chains()) {
          active |= c.members().contains(id);
          syncing |= c.syncing().contains(id);
          for (ClusterAdmin.SyncProgress p : c.sync()) {
            if (p.nodeId().equals(id)) {
              bytes += p.bytes();
            }
          }
        }
        bar.stepTo(bytes);
        bar.setExtraMessage(syncing ? " syncing" : active ? " active" : " waiting for a chain");
        if (active && !syncing) {
          break;
        }
        TimeUnit.MILLISECONDS.sleep(500);
      }
    }
    System.out.println("node " + id + " is an active chain member");
  }
}
