package dev.catena.tests.frangipani;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.frangipani.zk.FrangipaniMount;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ShardMap;
import dev.catena.sharding.KeyHasher;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fencing with a real pause: a clerk in a child JVM ({@link PausedClerkChild}) has passed every
 * lease check and is about to write its dirty inode back when it is stopped with SIGSTOP. Its
 * ZooKeeper session expires; the recovery daemon replays its log; another clerk takes the lock with
 * a larger token and writes; the head of the inode's chain is then stopped, so a new head serves
 * the chain. The stopped clerk is continued with SIGCONT and its write under the old token reaches
 * the new head: refused, and the newer contents stay.
 */
@Timeout(180)
class PausedClerkFencingIT extends FrangipaniClusterTest {
  @Test
  void aClerkPausedPastItsLeaseCannotLandItsWriteEvenAfterAHeadFailover() throws Exception {
    String bucket = "paused-clerk";
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                PausedClerkChild.class.getName(),
                cluster.connectString(),
                cluster.clusterName(),
                bucket)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                  }
                } catch (java.io.IOException e) {
                  lines.add("EOF " + e);
                }
              },
              "child-stdout");
      reader.setDaemon(true);
      reader.start();
      PrintWriter toChild =
          new PrintWriter(
              new OutputStreamWriter(child.getOutputStream(), StandardCharsets.UTF_8), true);

      assertThat(lines.poll(90, TimeUnit.SECONDS)).isEqualTo("READY");
      toChild.println("sync");
      String at = lines.poll(60, TimeUnit.SECONDS);
      assertThat(at).startsWith("AT writeback inode/");
      String inodeKey = at.split(" ")[2];
      signal(child, "-STOP");

      // Another clerk: waits out the stopped clerk's lease and its recovery, then writes under
      // larger tokens (the file's inode and, through a new entry, the root's).
      try (FrangipaniMount b = mount(bucket, 42)) {
        b.fs().write("/f", "new".getBytes(StandardCharsets.UTF_8));
        b.fs().write("/g", "also new".getBytes(StandardCharsets.UTF_8));
        b.fs().sync();
      }

      // Fail the head of the inode's chain over: the new head must know the fencing mark.
      ShardMap map = cluster.shardMap().orElseThrow();
      int chain = map.getChainIds(KeyHasher.shardOf(bucket, inodeKey, map.getShardCount()));
      ChainConfig before = cluster.chains().get(chain);
      String head = before.getMembers(0).getNodeId();
      cluster.stopNode(head);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  cluster.chains().get(chain).getEpoch() > before.getEpoch()
                      && !cluster.chains().get(chain).getMembers(0).getNodeId().equals(head));

      signal(child, "-CONT");
      toChild.println("go");
      String outcome = lines.poll(90, TimeUnit.SECONDS);
      assertThat(outcome).isEqualTo("REFUSED StaleFencingTokenException");

      try (FrangipaniMount c = mount(bucket, 43)) {
        assertThat(new String(c.fs().read("/f"), StandardCharsets.UTF_8)).isEqualTo("new");
        assertThat(new String(c.fs().read("/g"), StandardCharsets.UTF_8)).isEqualTo("also new");
      }
    } finally {
      signal(child, "-CONT");
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** Sends {@code sig} to the child process (our own, by pid). */
  private static void signal(Process p, String sig) throws Exception {
    if (!p.isAlive()) {
      return;
    }
    Process kill = new ProcessBuilder("kill", sig, Long.toString(p.pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }
}
