package dev.catena.client;

import java.io.InputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The Catena object store client (S3-shaped: buckets, keys, whole-object puts, ranged gets,
 * listings).
 *
 * <p>Every operation exists in two forms: an asynchronous method returning a {@link
 * CompletableFuture} that fails with a {@link CatenaException} subclass, and a blocking default
 * method of the same name without the {@code Async} suffix that waits for it and rethrows that
 * exception unchanged. Writes are exactly-once: retries after timeouts or reconfigurations reuse
 * the request's id, so the cluster applies each put or delete once (DESIGN §4 invariant 8). A put
 * is atomic: readers see the old object or the new one, never a mix (the manifest write is the
 * commit point, DESIGN §2).
 *
 * <p>Instances are thread-safe and meant to be shared; {@link #close()} releases channels and the
 * ZooKeeper session it opened.
 */
public interface CatenaClient extends AutoCloseable {
  /** A builder for a client connected to a cluster through ZooKeeper. */
  static CatenaClientBuilder builder() {
    return new CatenaClientBuilder();
  }

  // ---- buckets -----------------------------------------------------------------------------

  /**
   * Creates a bucket; fails with {@link BucketExistsException} or {@link InvalidRequestException}.
   */
  CompletableFuture<Bucket> createBucketAsync(String bucket);

  /** All buckets, sorted by name. */
  CompletableFuture<List<Bucket>> listBucketsAsync();

  /**
   * Deletes an empty bucket; fails with {@link NoSuchBucketException} or {@link
   * BucketNotEmptyException}.
   */
  CompletableFuture<Void> deleteBucketAsync(String bucket);

  // ---- objects -----------------------------------------------------------------------------

  /** Stores {@code data} under {@code bucket/key}, replacing any previous version. */
  CompletableFuture<ObjectMetadata> putObjectAsync(
      String bucket, String key, byte[] data, PutOptions options);

  /**
   * Stores {@code length} bytes read from {@code data}; {@code length < 0} means "until end of
   * stream". The stream is read on a client thread and not closed. If the stream ends before {@code
   * length} bytes, the put fails with {@link InvalidRequestException} and nothing is committed.
   */
  CompletableFuture<ObjectMetadata> putObjectAsync(
      String bucket, String key, InputStream data, long length, PutOptions options);

  /**
   * Commits {@code bucket/key} as the concatenation of committed objects {@code parts}, in order,
   * without copying their data: the new manifest references the parts' chunks (S3 multipart
   * complete). Each part is named by the metadata its put returned; a part deleted or replaced
   * since fails the call with {@link InvalidRequestException} and commits nothing. A part stored
   * inline (at most the inline threshold) is uploaded once as a chunk of the new object. {@code
   * etag} is stored as the object's ETag (S3's multipart ETag is not the MD5 of the whole). The
   * parts stay readable; deleting them later leaves the new object intact, since its manifest
   * references their chunks.
   */
  CompletableFuture<ObjectMetadata> composeObjectAsync(
      String bucket, String key, List<ObjectMetadata> parts, String etag, PutOptions options);

  /** The whole object as a stream plus its metadata; {@link NoSuchKeyException} if absent. */
  CompletableFuture<ObjectContent> getObjectAsync(String bucket, String key);

  /**
   * Bytes {@code [offset, offset + length)} of the object, clipped at its end ({@code length < 0} =
   * to the end); {@link InvalidRequestException} if {@code offset} is negative or beyond the end.
   */
  CompletableFuture<ObjectContent> getObjectAsync(
      String bucket, String key, long offset, long length);

  /** The object's metadata without its data; {@link NoSuchKeyException} if absent. */
  CompletableFuture<ObjectMetadata> headObjectAsync(String bucket, String key);

  /** Deletes the object; deleting an absent key succeeds (S3 semantics). */
  CompletableFuture<Void> deleteObjectAsync(String bucket, String key);

  /**
   * Deletes the object under a lock: refused with {@link StaleFencingTokenException} if the chain
   * has seen a higher token for the fence's scope.
   */
  CompletableFuture<Void> deleteObjectAsync(String bucket, String key, Fence fence);

  /** One page of the bucket's keys, merged over all chains. */
  CompletableFuture<ObjectListing> listObjectsAsync(String bucket, ListOptions options);

  /**
   * Administration: one pass of lazy garbage collection. Deletes the chunks that no committed
   * manifest references and that were uploaded at least {@code grace} ago (chunks of overwritten or
   * deleted objects, of failed or abandoned puts). Their disk space is reclaimed when the nodes
   * compact their segments. A grace shorter than a put may take could delete the chunks of a put
   * still in flight; the cluster default is one hour.
   */
  CompletableFuture<GarbageReport> collectGarbageAsync(java.time.Duration grace);

  /** Blocking {@link #collectGarbageAsync}. */
  default GarbageReport collectGarbage(java.time.Duration grace) {
    return await(collectGarbageAsync(grace));
  }

  @Override
  void close();

  // ---- blocking variants -------------------------------------------------------------------

  default Bucket createBucket(String bucket) {
    return await(createBucketAsync(bucket));
  }

  default List<Bucket> listBuckets() {
    return await(listBucketsAsync());
  }

  default void deleteBucket(String bucket) {
    await(deleteBucketAsync(bucket));
  }

  default ObjectMetadata putObject(String bucket, String key, byte[] data) {
    return await(putObjectAsync(bucket, key, data, PutOptions.DEFAULT));
  }

  default ObjectMetadata putObject(String bucket, String key, byte[] data, PutOptions options) {
    return await(putObjectAsync(bucket, key, data, options));
  }

  default ObjectMetadata putObject(
      String bucket, String key, InputStream data, long length, PutOptions options) {
    return await(putObjectAsync(bucket, key, data, length, options));
  }

  default ObjectMetadata composeObject(
      String bucket, String key, List<ObjectMetadata> parts, String etag, PutOptions options) {
    return await(composeObjectAsync(bucket, key, parts, etag, options));
  }

  default ObjectContent getObject(String bucket, String key) {
    return await(getObjectAsync(bucket, key));
  }

  default ObjectContent getObject(String bucket, String key, long offset, long length) {
    return await(getObjectAsync(bucket, key, offset, length));
  }

  default ObjectMetadata headObject(String bucket, String key) {
    return await(headObjectAsync(bucket, key));
  }

  default void deleteObject(String bucket, String key) {
    await(deleteObjectAsync(bucket, key));
  }

  default ObjectListing listObjects(String bucket, ListOptions options) {
    return await(listObjectsAsync(bucket, options));
  }

  /**
   * Waits for {@code f} and rethrows its {@link CatenaException} unchanged. An interrupt cancels
   * the wait (not the operation), keeps the interrupt flag set and throws {@link CatenaException}.
   */
  static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CatenaException("interrupted while waiting", e);
    } catch (ExecutionException e) {
      throw unwrap(e.getCause());
    }
  }

  private static RuntimeException unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error err) {
      throw err;
    }
    return new CatenaException(String.valueOf(t.getMessage()), t);
  }
}
