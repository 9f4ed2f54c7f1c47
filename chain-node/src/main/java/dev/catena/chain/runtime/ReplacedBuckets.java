package dev.catena.chain.runtime;

import com.google.protobuf.ByteString;
import dev.catena.proto.v1.ResyncHeader;
import java.util.BitSet;

/**
 * The buckets (see {@link BucketDigests}) a snapshot stream replaces on the joiner: for a key of a
 * replaced bucket the stream's record (or its absence) is the truth, every other key stays as the
 * joiner holds it. A full snapshot replaces every bucket. Keys outside the digested keyspace (the
 * replication log, local markers) are never replaced. Immutable.
 */
public final class ReplacedBuckets {
  private final int bucketCount;
  private final BitSet replaced;

  private ReplacedBuckets(int bucketCount, BitSet replaced) {
    this.bucketCount = bucketCount;
    this.replaced = replaced;
  }

  /** Every bucket: a full snapshot. */
  public static ReplacedBuckets all() {
    return new ReplacedBuckets(0, null);
  }

  /** The given buckets of {@code bucketCount}. */
  public static ReplacedBuckets of(int bucketCount, BitSet buckets) {
    if (buckets.length() > bucketCount) {
      throw new InvalidBucketDigestsException(
          "bucket " + (buckets.length() - 1) + " beyond count " + bucketCount);
    }
    return new ReplacedBuckets(bucketCount, (BitSet) buckets.clone());
  }

  /**
   * Decodes the header on a resync stream's first entry.
   *
   * @throws InvalidBucketDigestsException if the count or the bitmap is malformed
   */
  public static ReplacedBuckets fromHeader(ResyncHeader h) {
    int n = h.getBucketCount();
    if (n < 1 || n > BucketDigests.MAX_BUCKETS) {
      throw new InvalidBucketDigestsException("bucket count " + Integer.toUnsignedString(n));
    }
    return of(n, BitSet.valueOf(h.getReplaced().toByteArray()));
  }

  /** The header announcing these buckets (records and bytes the stream carries). */
  public ResyncHeader toHeader(long records, long bytes) {
    if (replaced == null) {
      throw new IllegalStateException("a full snapshot has no resync header");
    }
    return ResyncHeader.newBuilder()
        .setBucketCount(bucketCount)
        .setReplaced(ByteString.copyFrom(replaced.toByteArray()))
        .setRecords(records)
        .setBytes(bytes)
        .build();
  }

  /** True for a full snapshot. */
  public boolean full() {
    return replaced == null;
  }

  /** Replaced buckets, or -1 for a full snapshot. */
  public int count() {
    return replaced == null ? -1 : replaced.cardinality();
  }

  /** Whether the stream is the truth for {@code key}. */
  public boolean replaces(byte[] key) {
    if (!BucketDigests.covers(key)) {
      return false;
    }
    return replaced == null || replaced.get(BucketDigests.bucketOf(key, bucketCount));
  }

  @Override
  public String toString() {
    return full() ? "all buckets" : count() + " of " + bucketCount + " buckets";
  }
}
