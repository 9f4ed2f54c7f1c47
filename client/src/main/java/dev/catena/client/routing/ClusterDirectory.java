package dev.catena.client.routing;

import dev.catena.client.Bucket;
import dev.catena.client.BucketExistsException;
import dev.catena.client.NoSuchBucketException;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The client's source of cluster configuration and bucket records. The ZooKeeper implementation is
 * {@code dev.catena.client.zk.ClusterView}; tests may supply their own.
 *
 * <p>Bucket operations block (they are called from client threads, never from gRPC threads).
 */
public interface ClusterDirectory extends AutoCloseable {
  /** The newest snapshot; never null. */
  ClusterSnapshot snapshot();

  /**
   * Completes with the first snapshot whose version is greater than {@code afterVersion} (at once
   * if one exists). Never fails; callers bound the wait themselves.
   */
  CompletableFuture<ClusterSnapshot> awaitNewer(long afterVersion);

  /** Asks for a full re-read of the configuration (asynchronous; idempotent). */
  void refresh();

  /** True if the bucket record exists (a cached positive answer, an authoritative negative one). */
  boolean bucketExists(String bucket);

  /** Creates the bucket record; {@link BucketExistsException} if it exists. */
  Bucket createBucket(String bucket, long createdAtMillis);

  /** All bucket records, sorted by name. */
  List<Bucket> listBuckets();

  /** Deletes the bucket record; {@link NoSuchBucketException} if absent. */
  void deleteBucket(String bucket);

  @Override
  void close();
}
