package dev.catena.chain.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the content digests behind a rejoin by difference (DESIGN.md §4 "Rejoin": resync
 * sends only what differs): deterministic, equal for equal contents, and different exactly in the
 * buckets of the keys that differ.
 */
class BucketDigestsTest {
  static LongStream seeds() {
    return LongStream.rangeClosed(1, 40);
  }

  private static final Map<Integer, String> PREFIXES = Map.of(0, "o/bkt/", 1, "c/", 2, "d/");

  /** Random records keyed in unsigned byte order (as a LevelDB scan yields them). */
  static TreeMap<ByteString, byte[]> records(SplittableRandom rnd, int n) {
    var m = new TreeMap<ByteString, byte[]>(ByteString.unsignedLexicographicalComparator());
    while (m.size() < n) {
      String key = PREFIXES.get(rnd.nextInt(3)) + "k" + rnd.nextInt(1_000_000);
      byte[] value = new byte[rnd.nextInt(40)];
      rnd.nextBytes(value);
      m.put(ByteString.copyFromUtf8(key), value);
    }
    return m;
  }

  static BucketDigests digest(Map<ByteString, byte[]> records, int buckets) {
    var b = new BucketDigests.Builder(buckets);
    records.forEach((k, v) -> b.add(k.toByteArray(), v));
    return b.build();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void equalContentsGiveEqualDigestsAndRoundTrip(long seed) {
    var records = records(new SplittableRandom(seed), 300);
    BucketDigests a = digest(records, 1024);
    BucketDigests b = digest(new TreeMap<>(records), 1024);
    assertThat(a).as("seed %d", seed).isEqualTo(b);
    assertThat(a.differing(b).isEmpty()).as("seed %d", seed).isTrue();
    assertThat(BucketDigests.fromProto(a.toProto())).as("seed %d", seed).isEqualTo(a);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void digestsDifferExactlyInTheBucketsOfChangedKeys(long seed) {
    var rnd = new SplittableRandom(seed);
    var tail = records(rnd, 400);
    var joiner = new TreeMap<>(tail);
    var expected = new BitSet();
    var keys = tail.keySet().toArray(ByteString[]::new);
    for (int i = 0; i < 1 + rnd.nextInt(6); i++) {
      ByteString k = keys[rnd.nextInt(keys.length)];
      switch (rnd.nextInt(3)) {
        case 0 -> joiner.remove(k); // the joiner misses a key
        case 1 -> joiner.put(k, new byte[] {(byte) rnd.nextInt(), 1, 2, 3, 4, 5, 6, 7, 8}); // value
        default -> {
          k = ByteString.copyFromUtf8("o/extra/" + rnd.nextInt(1_000_000)); // an extra key
          joiner.put(k, new byte[0]);
        }
      }
      if (!java.util.Arrays.equals(joiner.get(k), tail.get(k))) {
        expected.set(BucketDigests.bucketOf(k.toByteArray(), 1024));
      }
    }
    assertThat(digest(tail, 1024).differing(digest(joiner, 1024)))
        .as("seed %d", seed)
        .isEqualTo(expected);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aValueMovedToAnotherKeyOrSplitDifferently(long seed) {
    // Length prefixes keep (key, value) boundaries: "ab"+"c" and "a"+"bc" differ.
    var rnd = new SplittableRandom(seed);
    String k = "o/bkt/" + rnd.nextInt(1000);
    var one = new TreeMap<ByteString, byte[]>(ByteString.unsignedLexicographicalComparator());
    one.put(ByteString.copyFromUtf8(k + "x"), "y".getBytes(StandardCharsets.UTF_8));
    var two = new TreeMap<ByteString, byte[]>(ByteString.unsignedLexicographicalComparator());
    two.put(ByteString.copyFromUtf8(k), "xy".getBytes(StandardCharsets.UTF_8));
    assertThat(digest(one, 1)).as("seed %d", seed).isNotEqualTo(digest(two, 1));
  }

  @Test
  void logAndLocalMarkersAreNotDigested() {
    var b = new BucketDigests.Builder(16);
    b.add("l/00001".getBytes(StandardCharsets.UTF_8), new byte[] {1});
    b.add("m/syncing".getBytes(StandardCharsets.UTF_8), new byte[] {2});
    assertThat(b.records()).isZero();
    assertThat(b.build()).isEqualTo(BucketDigests.empty(16));
  }

  @Test
  void bucketOfIsXxh64ModCount() {
    // XXH64("", 0) = 0xEF46DB3751D8E999 (xxHash reference); unsigned mod 1024 = 0x199 = 409.
    assertThat(BucketDigests.bucketOf(new byte[0], 1024)).isEqualTo(409);
  }

  @Test
  void badInputIsATypedError() {
    assertThatThrownBy(() -> new BucketDigests.Builder(0))
        .isInstanceOf(InvalidBucketDigestsException.class);
    assertThatThrownBy(
            () ->
                BucketDigests.fromProto(
                    dev.catena.proto.v1.BucketDigests.newBuilder()
                        .setBucketCount(4)
                        .setDigests(ByteString.copyFrom(new byte[63]))
                        .build()))
        .isInstanceOf(InvalidBucketDigestsException.class)
        .hasMessageContaining("64");
    assertThatThrownBy(() -> BucketDigests.empty(4).differing(BucketDigests.empty(8)))
        .isInstanceOf(InvalidBucketDigestsException.class);
    assertThatThrownBy(
            () ->
                ReplacedBuckets.fromHeader(
                    dev.catena.proto.v1.ResyncHeader.newBuilder()
                        .setBucketCount(4)
                        .setReplaced(ByteString.copyFrom(new byte[] {(byte) 0x80}))
                        .build()))
        .isInstanceOf(InvalidBucketDigestsException.class);
    var b = new BucketDigests.Builder(4).add(new byte[] {'o', '/', 2}, new byte[0]);
    assertThatThrownBy(() -> b.add(new byte[] {'o', '/', 1}, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
