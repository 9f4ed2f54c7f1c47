package dev.catena.chain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.chain.storage.PowerLossFileLayer.Fault;
import dev.catena.chain.storage.SegmentCrashHarness.Kind;
import dev.catena.chain.storage.SegmentCrashHarness.Outcome;
import dev.catena.chain.storage.SegmentCrashHarness.Recording;
import dev.catena.chain.storage.SegmentCrashHarness.Violation;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Power loss, not just kill -9 (issue 21, item 4): the real {@link SegmentChunkStore} over a file
 * layer that keeps only what was forced and synced, cut at every point of a recorded workload
 * ({@link SegmentCrashHarness}), and cut again at every operation of each recovery. Every
 * acknowledged write must be readable byte-exact, every acknowledged delete must stay deleted,
 * nothing else may be corrupt. {@code -Dcatena.crash.losses=N} (or {@code -Pcrash-deep}) checks N
 * unordered and N ordered partial losses per cut point instead of 1.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SegmentCrashConsistencyTest {
  private static final int LOSSES = Integer.getInteger("catena.crash.losses", 1);

  static Stream<Arguments> runs() {
    return Stream.of(
        Arguments.of(FsyncPolicy.ALWAYS, 1L),
        Arguments.of(FsyncPolicy.ALWAYS, 2L),
        Arguments.of(FsyncPolicy.GROUP, 1L),
        Arguments.of(FsyncPolicy.GROUP, 2L));
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("runs")
  void everyAcknowledgedWriteSurvivesPowerLossAtEveryCutPoint(FsyncPolicy policy, long seed)
      throws InterruptedException {
    Recording r = SegmentCrashHarness.record(policy, seed, Fault.NONE);
    // the scenario happens: segment rolls, a compaction that retired segments, acknowledged deletes
    assertThat(r.segmentsCreated()).as("segments created").isGreaterThanOrEqualTo(4);
    assertThat(r.compactedSegments()).as("segments compacted").isPositive();
    assertThat(r.clientOps().stream().filter(SegmentCrashHarness.ClientOp::isDelete).count())
        .as("deletes")
        .isPositive();
    Outcome o = SegmentCrashHarness.checkAll(r, LOSSES);
    System.out.printf(
        "%s seed %d: %d client ops, %d file-system ops (%d syncs), %d cut points, %d states%n",
        policy,
        seed,
        r.clientOps().size(),
        r.ops().size(),
        r.syncPoints().size(),
        o.cutPoints(),
        o.statesChecked());
    assertThat(o.violations()).as("%s seed %d", policy, seed).isEmpty();
  }

  /**
   * Found by this harness: a new store fsynced neither its own directory's parent nor the directory
   * after creating segment 1, so under ALWAYS the first acknowledged writes (forced into segment 1)
   * vanished with the file's name at a power loss before the first segment roll.
   */
  @Test
  void theFirstAcknowledgedWriteSurvivesWhenOnlySyncedStateIsLeft() throws InterruptedException {
    Recording r = SegmentCrashHarness.record(FsyncPolicy.ALWAYS, 2, Fault.NONE);
    int firstAck = r.clientOps().get(0).ackedAt();
    assertThat(r.segmentsCreated()).isGreaterThan(1);
    assertThat(SegmentCrashHarness.check(r, firstAck, CrashStates.Loss.syncedOnly())).isEmpty();
    List<PowerLossFileLayer.Op> ops = r.ops().subList(0, firstAck);
    assertThat(ops)
        .containsSubsequence(
            new PowerLossFileLayer.Create(SegmentCrashHarness.DIR, -1),
            new PowerLossFileLayer.SyncDirectory(SegmentCrashHarness.ROOT))
        .contains(new PowerLossFileLayer.SyncDirectory(SegmentCrashHarness.DIR));
  }

  /**
   * Found by this harness (GROUP, seed 3): compaction had appended a copy of a live chunk, the
   * power failed before the copy was forced, and the copy's header survived but not its data. On
   * reopen the copy replaced the intact original in the index and the acknowledged chunk read as a
   * checksum error. A later record of a stored chunk whose data does not verify is now ignored.
   */
  @Test
  void aTornCompactionCopyDoesNotShadowTheIntactOriginal() throws InterruptedException {
    Recording r = SegmentCrashHarness.record(FsyncPolicy.GROUP, 3, Fault.NONE);
    assertThat(SegmentCrashHarness.check(r, 120, CrashStates.Loss.unordered(3_015_729L))).isEmpty();
  }

  /** The harness is not vacuous: a store that acknowledges before its fsync loses acked writes. */
  @Test
  void aDiskThatAcknowledgesBeforeFsyncIsCaught() throws InterruptedException {
    assertThat(lostAcknowledgedWithOnlySyncedState(FsyncPolicy.ALWAYS, Fault.IGNORE_FORCE))
        .isNotEmpty();
  }

  /** The harness is not vacuous: without directory fsyncs, acked writes vanish with their file. */
  @Test
  void aStoreThatNeverSyncsItsDirectoryIsCaught() throws InterruptedException {
    assertThat(lostAcknowledgedWithOnlySyncedState(FsyncPolicy.GROUP, Fault.IGNORE_DIRECTORY_SYNC))
        .isNotEmpty();
  }

  private static List<Violation> lostAcknowledgedWithOnlySyncedState(
      FsyncPolicy policy, Fault fault) throws InterruptedException {
    Recording r = SegmentCrashHarness.record(policy, 1, fault);
    return SegmentCrashHarness.checkAll(r, 0).violations().stream()
        .filter(x -> x.kind() == Kind.LOST_ACKNOWLEDGED && x.loss().equals("synced-only"))
        .toList();
  }
}
