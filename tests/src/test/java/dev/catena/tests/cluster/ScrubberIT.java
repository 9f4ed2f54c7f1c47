package dev.catena.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.chain.storage.ChainMutation;
import dev.catena.chain.storage.ChecksumMismatchException;
import dev.catena.chain.storage.ChunkStore;
import dev.catena.chain.storage.VersionedValue;
import dev.catena.client.CatenaClient;
import dev.catena.client.CatenaException;
import dev.catena.deploy.node.ChunkScrubber;
import dev.catena.deploy.node.StorageNode;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.MemberState;
import dev.catena.sharding.KeyHasher;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scrubber on a real 3-node cluster: a byte flipped inside a chunk's segment file on the head
 * and the chunk deleted on the middle replica are both found and repaired from the chain's tail in
 * one pass of each node's scrubber; meanwhile the damaged copy is never served (its read fails with
 * a checksum error) and clients read the right bytes. The same for the tail's own copies (a flipped
 * byte, a deleted chunk), repaired from the other members through {@code ChainService.ReadChunk};
 * meanwhile client reads, which the tail serves, fail with a typed error.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ScrubberIT {
  private static final String BUCKET = "scrub";
  private static final String KEY = "object";

  @TempDir Path dir;

  @Test
  void corruptAndMissingChunksAreRepairedFromAPeerInOnePass() throws Exception {
    byte[] payload = new byte[600 << 10]; // above the inline threshold: one chunk
    new SplittableRandom(42).nextBytes(payload);
    try (var cluster = startCluster()) {
      try (CatenaClient c = cluster.client()) {
        c.createBucket(BUCKET);
        c.putObject(BUCKET, KEY, payload);
      }
      // Every node holds every chain here; the chunk's own chain decides head, middle and tail.
      String chunkId = cluster.node("n1").chunkStore().chunkIds().iterator().next();
      List<String> members = activeMembers(cluster, chunkId);
      String head = members.get(0);
      String middle = members.get(1);
      ChunkStore headChunks = cluster.node(head).chunkStore();
      ChunkStore middleChunks = cluster.node(middle).chunkStore();
      assertThat(headChunks.chunkIds()).containsExactly(chunkId);

      flipAByteOfTheChunk(dir.resolve(head).resolve("chunks"), payload);
      assertThat(middleChunks.delete(chunkId)).isTrue();

      assertThatThrownBy(() -> headChunks.read(chunkId, 0, payload.length))
          .isInstanceOf(ChecksumMismatchException.class);
      assertThat(read(cluster)).isEqualTo(payload); // served by the tail

      ChunkScrubber.Pass onHead = cluster.node(head).scrubber().runPass();
      ChunkScrubber.Pass onMiddle = cluster.node(middle).scrubber().runPass();
      assertThat(onHead.corrupt()).isEqualTo(1);
      assertThat(onHead.repaired()).isEqualTo(1);
      assertThat(onMiddle.missing()).isEqualTo(1);
      assertThat(onMiddle.repaired()).isEqualTo(1);
      assertThat(onHead.unrepaired() + onMiddle.unrepaired()).isZero();

      assertThat(bytes(headChunks.read(chunkId, 0, payload.length))).isEqualTo(payload);
      assertThat(bytes(middleChunks.read(chunkId, 0, payload.length))).isEqualTo(payload);
      ChunkScrubber.Pass again = cluster.node(head).scrubber().runPass();
      assertThat(again.corrupt() + again.missing()).isZero();
      assertThat(again.scanned()).isGreaterThanOrEqualTo(1);
      assertThat(read(cluster)).isEqualTo(payload);

      try (var admin =
          dev.catena.deploy.zk.ClusterAdmin.connect(
              cluster.connectString(), cluster.clusterName())) {
        org.awaitility.Awaitility.await("scrub counts in cluster status")
            .atMost(java.time.Duration.ofSeconds(30))
            .until(
                () ->
                    admin.status(cluster.clusterName()).nodes().stream()
                            .filter(n -> n.nodeId().equals(head) || n.nodeId().equals(middle))
                            .filter(
                                n ->
                                    n.storage().getScrubChunksBad() == 1
                                        && n.storage().getScrubChunksRepaired() == 1
                                        && n.storage().getScrubChunksScanned() >= 1)
                            .count()
                        == 2);
      }
    }
  }

  // The tail's own copy: before ReadChunk a tail had no source (only tails serve DownloadChunk).
  @Test
  void theTailsCorruptAndMissingChunksAreRepairedFromItsPredecessorsInOnePass() throws Exception {
    byte[] flipped = payload(43);
    byte[] deleted = payload(44);
    try (var cluster = startCluster()) {
      String flippedChunk;
      String deletedChunk;
      try (CatenaClient c = cluster.client()) {
        c.createBucket(BUCKET);
        // A put names its chunks "<versionId>/<index>".
        flippedChunk = c.putObject(BUCKET, "flipped", flipped).versionId() + "/0";
        deletedChunk = c.putObject(BUCKET, "deleted", deleted).versionId() + "/0";
      }
      String flippedTail = last(activeMembers(cluster, flippedChunk));
      String deletedTail = last(activeMembers(cluster, deletedChunk));

      flipAByteOfTheChunk(dir.resolve(flippedTail).resolve("chunks"), flipped);
      assertThat(cluster.node(deletedTail).chunkStore().delete(deletedChunk)).isTrue();

      // Reads go to the tail: they fail with a typed error, never with other bytes.
      assertThatThrownBy(() -> read(cluster, "flipped"))
          .isInstanceOf(IOException.class)
          .hasCauseInstanceOf(dev.catena.client.ChecksumMismatchException.class);
      assertThatThrownBy(() -> read(cluster, "deleted"))
          .isInstanceOf(IOException.class)
          .hasCauseInstanceOf(CatenaException.class);

      ChunkScrubber.Pass onFlippedTail = cluster.node(flippedTail).scrubber().runPass();
      ChunkScrubber.Pass onDeletedTail =
          flippedTail.equals(deletedTail)
              ? onFlippedTail
              : cluster.node(deletedTail).scrubber().runPass();
      assertThat(onFlippedTail.corrupt()).isEqualTo(1);
      assertThat(onDeletedTail.missing()).isEqualTo(1);
      assertThat(onFlippedTail.unrepaired() + onDeletedTail.unrepaired()).isZero();
      assertThat(
              flippedTail.equals(deletedTail)
                  ? onFlippedTail.repaired()
                  : onFlippedTail.repaired() + onDeletedTail.repaired())
          .isEqualTo(2);

      assertThat(read(cluster, "flipped")).isEqualTo(flipped);
      assertThat(read(cluster, "deleted")).isEqualTo(deleted);
      ChunkScrubber.Pass again = cluster.node(flippedTail).scrubber().runPass();
      assertThat(again.corrupt() + again.missing()).isZero();
    }
  }

  // Metadata records carry no checksum: the scrubber decodes each and checks its structure, and
  // checks that a manifest's chunks are here.
  @Test
  void aDamagedRecordIsReportedAndReadsOfItFailTypedAManifestsMissingChunkIsRepaired()
      throws Exception {
    byte[] large = payload(45);
    try (var cluster = startCluster()) {
      String chunkId;
      try (CatenaClient c = cluster.client()) {
        c.createBucket(BUCKET);
        c.putObject(BUCKET, "small", new byte[] {1, 2, 3});
        chunkId = c.putObject(BUCKET, "large", large).versionId() + "/0";
      }
      byte[] smallKey = "o/scrub/small".getBytes(StandardCharsets.UTF_8);
      int chain =
          cluster.chains().keySet().stream()
              .filter(id -> cluster.node("n1").metadataStore().get(id, smallKey).isPresent())
              .findFirst()
              .orElseThrow();
      String tail =
          last(
              cluster.chains().get(chain).getMembersList().stream()
                  .filter(m -> m.getState() == MemberState.ACTIVE)
                  .map(ChainMember::getNodeId)
                  .toList());
      StorageNode node = cluster.node(tail);
      long version = node.metadataStore().get(chain, smallKey).orElseThrow().version();
      // The manifest's bytes damaged in place (0xFF: a field tag cut short), and the large
      // object's chunk bytes gone from the same node.
      node.metadataStore()
          .apply(
              ChainMutation.of(
                  chain,
                  List.of(new ChainMutation.Put(smallKey, new byte[] {(byte) 0xFF}, version)),
                  List.of()))
          .join();
      assertThat(node.chunkStore().delete(chunkId)).isTrue();

      try (CatenaClient c = cluster.client()) {
        assertThatThrownBy(() -> c.headObject(BUCKET, "small"))
            .isInstanceOf(dev.catena.client.ChecksumMismatchException.class);
      }

      ChunkScrubber.Pass pass = node.scrubber().runPass();
      assertThat(pass.metadata().corrupt()).isEqualTo(1);
      assertThat(pass.metadata().missingChunks()).isEqualTo(1);
      assertThat(pass.metadata().unrepaired()).isEqualTo(1); // the damaged record
      assertThat(pass.metadata().records()).isGreaterThanOrEqualTo(4);
      assertThat(pass.missing()).isEqualTo(1);
      assertThat(pass.repaired()).isEqualTo(1);
      assertThat(read(cluster, "large")).isEqualTo(large);

      ChunkScrubber.Pass again = node.scrubber().runPass();
      assertThat(again.metadata().missingChunks()).isZero();
      assertThat(again.metadata().corrupt()).isEqualTo(1); // still there: reported, not repaired

      try (var admin =
          dev.catena.deploy.zk.ClusterAdmin.connect(
              cluster.connectString(), cluster.clusterName())) {
        org.awaitility.Awaitility.await("record scrub counts in cluster status")
            .atMost(java.time.Duration.ofSeconds(30))
            .until(
                () ->
                    admin.status(cluster.clusterName()).nodes().stream()
                        .anyMatch(
                            n ->
                                n.nodeId().equals(tail)
                                    && n.storage().getScrubRecordsBad() == 3
                                    && n.storage().getScrubRecordsScanned()
                                        >= pass.metadata().records()));
      }

      // The remedy for a damaged record: a restart, whose rejoin resync replaces the bucket whose
      // digest differs.
      cluster.stopNode(tail);
      cluster.restartNode(tail);
      cluster.awaitActiveInEveryChain(tail, java.time.Duration.ofSeconds(90));
      ChunkScrubber.Pass afterRejoin = cluster.node(tail).scrubber().runPass();
      assertThat(afterRejoin.metadata().corrupt()).isZero();
      VersionedValue restored =
          cluster.node(tail).metadataStore().get(chain, smallKey).orElseThrow();
      assertThat(restored.value()).isNotEqualTo(new byte[] {(byte) 0xFF});
      assertThat(read(cluster, "small")).containsExactly(1, 2, 3);
    }
  }

  /** Three nodes, every node in every chain (chain length 3), ready for writes. */
  private InProcessCluster startCluster() {
    var cluster =
        InProcessCluster.builder()
            .dataDir(dir)
            .nodes(3)
            .chainLength(3)
            .segmentBytes(8 << 20)
            .start();
    cluster.awaitReady();
    return cluster;
  }

  private static byte[] payload(long seed) {
    byte[] b = new byte[600 << 10]; // above the inline threshold: one chunk
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  private static String last(List<String> members) {
    return members.get(members.size() - 1);
  }

  /** The ACTIVE members, head first, of the chain that holds {@code chunkId}. */
  private static List<String> activeMembers(InProcessCluster cluster, String chunkId) {
    int slash = chunkId.lastIndexOf('/');
    ChainConfig chain =
        cluster
            .chains()
            .get(
                KeyHasher.chainForChunk(
                    chunkId.substring(0, slash),
                    Integer.parseInt(chunkId.substring(slash + 1)),
                    List.copyOf(cluster.chains().keySet())));
    return chain.getMembersList().stream()
        .filter(m -> m.getState() == MemberState.ACTIVE)
        .map(ChainMember::getNodeId)
        .toList();
  }

  private static byte[] read(InProcessCluster cluster) throws IOException {
    return read(cluster, KEY);
  }

  private static byte[] read(InProcessCluster cluster, String key) throws IOException {
    try (CatenaClient c = cluster.client();
        var content = c.getObject(BUCKET, key)) {
      return content.stream().readAllBytes();
    }
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  /** Flips one byte in the middle of the payload where it lies in a segment file. */
  private static void flipAByteOfTheChunk(Path chunkDir, byte[] payload) throws IOException {
    byte[] probe = Arrays.copyOfRange(payload, 300_000, 300_064);
    try (Stream<Path> files = Files.list(chunkDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".seg")).toList()) {
        byte[] content = Files.readAllBytes(f);
        int at = indexOf(content, probe);
        if (at >= 0) {
          try (var raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(at + 10);
            raf.write(content[at + 10] ^ 0x5a);
          }
          return;
        }
      }
    }
    throw new AssertionError("the chunk's bytes are in no segment file under " + chunkDir);
  }

  private static int indexOf(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
