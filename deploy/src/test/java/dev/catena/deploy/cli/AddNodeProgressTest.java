package dev.catena.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.deploy.zk.ClusterAdmin;
import dev.catena.deploy.zk.ClusterAdmin.ChainStatus;
import dev.catena.deploy.zk.ClusterAdmin.SyncProgress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code cluster add-node} following a join from published status reads (DESIGN.md §4 "Add a tail":
 * progress visible as a bar): the tracker across reads, lines vs in-place output, the timeout on an
 * injected clock.
 */
class AddNodeProgressTest {
  private static final long MIB = 1 << 20;

  private static SyncProgress report(int chain, long bytes, long planned, long lag) {
    return new SyncProgress(
        chain,
        "n4",
        5,
        bytes / 100,
        bytes,
        true,
        planned / 100,
        planned,
        planned,
        planned,
        false,
        false,
        lag,
        false,
        System.nanoTime());
  }

  private static ClusterAdmin.Status status(ChainStatus... chains) {
    return new ClusterAdmin.Status("c", List.of(), List.of(chains), 1);
  }

  private static ChainStatus syncing(int chain, SyncProgress... reports) {
    return new ChainStatus(chain, 5, List.of("n1", "n2"), List.of("n4"), List.of(reports));
  }

  private static ChainStatus active(int chain) {
    return new ChainStatus(chain, 6, List.of("n1", "n2", "n4"), List.of(), List.of());
  }

  private static ChainStatus without(int chain) {
    return new ChainStatus(chain, 6, List.of("n1", "n2", "n3"), List.of(), List.of());
  }

  @Test
  void trackerCountsPromotedChainsAsCompleteAndFinishesWhenAllAreActive() {
    var t = new JoinTracker("n4");
    t.update(status(without(0), without(1)));
    assertThat(t.view().chains()).isEmpty();
    assertThat(SyncProgressFormat.joinLine(t.view(), 10))
        .isEqualTo("join n4 [    ?     ]   ?% waiting for a chain");

    t.update(status(syncing(0, report(0, 4 * MIB, 8 * MIB, 7)), syncing(1)));
    assertThat(t.view().plannedKnown()).as("chain 1 has not reported yet").isFalse();
    assertThat(t.view().done()).isFalse();

    t.update(
        status(syncing(0, report(0, 4 * MIB, 8 * MIB, 7)), syncing(1, report(1, 0, 8 * MIB, 2))));
    assertThat(SyncProgressFormat.joinLine(t.view(), 10))
        .isEqualTo(
            "join n4 [==>       ]  25% 4.0 MiB/16.0 MiB 41943/167772 keys 0 of 2 chains active,"
                + " 2 syncing, lag 7 seqs");

    // Chain 0 promoted: its report is gone from ZooKeeper but it counts as fully transferred.
    t.update(status(active(0), syncing(1, report(1, 4 * MIB, 8 * MIB, 0))));
    assertThat(t.view().bytes()).isEqualTo(12 * MIB);
    assertThat(SyncProgressFormat.percent(t.view().fraction())).isEqualTo("75%");
    assertThat(t.view().done()).isFalse();

    t.update(status(active(0), active(1)));
    assertThat(t.view().done()).isTrue();
    assertThat(SyncProgressFormat.joinLine(t.view(), 10))
        .isEqualTo(
            "join n4 [==========] 100% 16.0 MiB/16.0 MiB 167772/167772 keys 2 of 2 chains active");
  }

  @Test
  void aChainThatDropsTheJoinCountsAsLeftNotPending() {
    var t = new JoinTracker("n4");
    t.update(status(syncing(0, report(0, MIB, 2 * MIB, 0)), syncing(1)));
    t.update(status(active(0), without(1)));
    assertThat(t.view().left()).isEqualTo(1);
    assertThat(t.view().done()).isTrue();
  }

  @Test
  void linesArePrintedOnlyWhenTheyChangeOffATerminal() throws Exception {
    var reads =
        new ArrayDeque<>(
            List.of(
                status(syncing(0)),
                status(syncing(0)),
                status(syncing(0, report(0, MIB, 4 * MIB, 1))),
                status(active(0))));
    var out = new ByteArrayOutputStream();
    var clock = new AtomicLong();
    AddNodeCommand.follow(
        "n4",
        reads::poll,
        clock::get,
        Duration.ofSeconds(60),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        false,
        () -> clock.addAndGet(Duration.ofMillis(500).toNanos()));
    assertThat(out.toString(StandardCharsets.UTF_8).lines().toList())
        .containsExactly(
            "join n4 [              ?               ]   ?% 0 of 1 chain active, 1 syncing, lag 0 seqs",
            "join n4 [=======>                      ]  25% 1.0 MiB/4.0 MiB 10485/41943 keys 0 of 1"
                + " chain active, 1 syncing, lag 1 seqs",
            "join n4 [==============================] 100% 4.0 MiB/4.0 MiB 41943/41943 keys 1 of 1"
                + " chain active");
  }

  @Test
  void onATerminalTheLineIsRedrawnInPlace() throws Exception {
    var reads =
        new ArrayDeque<>(
            List.of(status(syncing(0, report(0, MIB, 4 * MIB, 1))), status(active(0))));
    var out = new ByteArrayOutputStream();
    var clock = new AtomicLong();
    AddNodeCommand.follow(
        "n4",
        reads::poll,
        clock::get,
        Duration.ofSeconds(60),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        true,
        () -> clock.addAndGet(1));
    String s = out.toString(StandardCharsets.UTF_8);
    assertThat(s).startsWith("\rjoin n4 [=======>").contains("\rjoin n4 [=====").endsWith("\n");
    assertThat(s.chars().filter(c -> c == '\n').count()).as("one line, redrawn").isEqualTo(1);
  }

  @Test
  void timeoutIsATypedErrorNamingTheNodeAndWhereItStands() {
    var clock = new AtomicLong();
    var polls = new AtomicLong();
    assertThatThrownBy(
            () ->
                AddNodeCommand.follow(
                    "n4",
                    () -> {
                      polls.incrementAndGet();
                      return status(syncing(0, report(0, MIB, 4 * MIB, 9)));
                    },
                    clock::get,
                    Duration.ofSeconds(3),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    false,
                    () -> clock.addAndGet(Duration.ofMillis(500).toNanos())))
        .isInstanceOf(JoinTimeoutException.class)
        .hasMessage(
            "node n4 is not active in every chain it joined after 3 s (25% 1.0 MiB/4.0 MiB"
                + " 10485/41943 keys 0 of 1 chain active, 1 syncing, lag 9 seqs); stopping it");
    assertThat(polls.get()).isEqualTo(7);
  }
}
