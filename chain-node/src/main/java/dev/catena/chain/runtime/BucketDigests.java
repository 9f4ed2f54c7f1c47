package dev.catena.chain.runtime;

import dev.catena.sharding.XxHash64;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Content digests of one chain's keyspace, the basis of a rejoin by difference (DESIGN.md §4
 * "Rejoin": resync sends only what differs).
 *
 * <p>Contract (also in {@code chain.proto}, message {@code BucketDigests}): every stored key of the
 * chain but the replication log ({@code l/…}) and local markers ({@code m/…}) — objects {@code o/},
 * chunk markers {@code c/}, dedup records {@code d/} — falls in bucket {@code XXH64(key bytes, seed
 * 0) mod bucketCount} (unsigned). A bucket's digest is SHA-256, truncated to {@value #DIGEST_BYTES}
 * bytes, over its live records (tombstones count as absent) in unsigned key order, each fed as
 * {@code [key length u32 BE][key][value length u32 BE][value]}. Versions (seqs) are not part of it,
 * so two replicas holding the same bytes agree whatever seqs wrote them, and a new head reusing
 * seqs after a failover cannot make different contents look equal. Chunk markers carry no bytes of
 * the chunk: a chunk id names immutable bytes, so the key stands for them.
 *
 * <p>Instances are immutable; {@link Builder} computes them from one ordered scan.
 */
public final class BucketDigests {
  /** Buckets per chain unless a peer says otherwise. */
  public static final int DEFAULT_BUCKETS = 1024;

  /** Largest bucket count accepted from a peer. */
  public static final int MAX_BUCKETS = 1 << 16;

  /** Bytes of one bucket digest. */
  public static final int DIGEST_BYTES = 16;

  private static final byte[] EMPTY_DIGEST = Arrays.copyOf(sha256().digest(), DIGEST_BYTES);

  private final int bucketCount;
  private final byte[] digests;

  private BucketDigests(int bucketCount, byte[] digests) {
    this.bucketCount = bucketCount;
    this.digests = digests;
  }

  /** The bucket of {@code key} among {@code bucketCount}. */
  public static int bucketOf(byte[] key, int bucketCount) {
    return (int) Long.remainderUnsigned(XxHash64.hash(key, 0), bucketCount);
  }

  /** Whether a stored key is part of the digested keyspace (not the log, not a local marker). */
  public static boolean covers(byte[] key) {
    return !(key.length >= 2 && key[1] == '/' && (key[0] == 'l' || key[0] == 'm'));
  }

  /** Digests of an empty keyspace. */
  public static BucketDigests empty(int bucketCount) {
    return new Builder(bucketCount).build();
  }

  /**
   * Decodes digests received from a peer.
   *
   * @throws InvalidBucketDigestsException if the bucket count or the digest length is wrong
   */
  public static BucketDigests fromProto(dev.catena.proto.v1.BucketDigests p) {
    int n = p.getBucketCount();
    checkCount(n);
    if (p.getDigests().size() != (long) n * DIGEST_BYTES) {
      throw new InvalidBucketDigestsException(
          n
              + " buckets need "
              + (long) n * DIGEST_BYTES
              + " digest bytes, got "
              + p.getDigests().size());
    }
    return new BucketDigests(n, p.getDigests().toByteArray());
  }

  private static void checkCount(int n) {
    if (n < 1 || n > MAX_BUCKETS) {
      throw new InvalidBucketDigestsException(
          "bucket count " + Integer.toUnsignedString(n) + " outside [1, " + MAX_BUCKETS + "]");
    }
  }

  /** The wire form. */
  public dev.catena.proto.v1.BucketDigests toProto() {
    return dev.catena.proto.v1.BucketDigests.newBuilder()
        .setBucketCount(bucketCount)
        .setDigests(com.google.protobuf.ByteString.copyFrom(digests))
        .build();
  }

  public int bucketCount() {
    return bucketCount;
  }

  /** The digest of bucket {@code b} (a copy). */
  public byte[] digest(int b) {
    return Arrays.copyOfRange(digests, b * DIGEST_BYTES, (b + 1) * DIGEST_BYTES);
  }

  /**
   * The buckets whose digests differ between this and {@code other}.
   *
   * @throws InvalidBucketDigestsException if the bucket counts differ
   */
  public BitSet differing(BucketDigests other) {
    if (other.bucketCount != bucketCount) {
      throw new InvalidBucketDigestsException(
          "cannot compare " + bucketCount + " buckets with " + other.bucketCount);
    }
    var out = new BitSet(bucketCount);
    for (int b = 0; b < bucketCount; b++) {
      int from = b * DIGEST_BYTES;
      int to = from + DIGEST_BYTES;
      if (!Arrays.equals(digests, from, to, other.digests, from, to)) {
        out.set(b);
      }
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BucketDigests d
        && d.bucketCount == bucketCount
        && Arrays.equals(d.digests, digests);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digests);
  }

  @Override
  public String toString() {
    return "BucketDigests[" + bucketCount + " buckets]";
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /**
   * Accumulates records of one scan. Records must arrive in strictly increasing unsigned key order
   * (a LevelDB scan of the chain); keys the digests do not {@link #covers cover} are ignored.
   */
  public static final class Builder {
    private final int bucketCount;
    private final MessageDigest[] open;
    private byte[] lastKey;
    private long records;

    public Builder(int bucketCount) {
      checkCount(bucketCount);
      this.bucketCount = bucketCount;
      this.open = new MessageDigest[bucketCount];
    }

    /**
     * Adds one live record.
     *
     * @throws IllegalArgumentException if {@code key} is not above the previous key
     */
    public Builder add(byte[] key, byte[] value) {
      if (lastKey != null && Arrays.compareUnsigned(lastKey, key) >= 0) {
        throw new IllegalArgumentException("keys out of order");
      }
      lastKey = key;
      if (!covers(key)) {
        return this;
      }
      int b = bucketOf(key, bucketCount);
      MessageDigest md = open[b];
      if (md == null) {
        md = sha256();
        open[b] = md;
      }
      md.update(ByteBuffer.allocate(4).putInt(key.length).array());
      md.update(key);
      md.update(ByteBuffer.allocate(4).putInt(value.length).array());
      md.update(value);
      records++;
      return this;
    }

    /** Records added so far (covered keys only). */
    public long records() {
      return records;
    }

    public BucketDigests build() {
      byte[] all = new byte[bucketCount * DIGEST_BYTES];
      for (int b = 0; b < bucketCount; b++) {
        byte[] d = open[b] == null ? EMPTY_DIGEST : open[b].digest();
        System.arraycopy(d, 0, all, b * DIGEST_BYTES, DIGEST_BYTES);
      }
      return new BucketDigests(bucketCount, all);
    }
  }
}
