package dev.catena.client.impl;

import com.google.protobuf.ByteString;
import dev.catena.client.CatenaException;
import dev.catena.client.CatenaUnavailableException;
import dev.catena.client.InvalidRequestException;
import dev.catena.client.ObjectTooLargeException;
import dev.catena.client.PutOptions;
import dev.catena.client.routing.ClusterDirectory;
import dev.catena.proto.v1.ChunkRef;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.sharding.KeyHasher;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * The put path (DESIGN §2). Objects up to the inline threshold go into their manifest. Larger ones
 * are cut into chunks: chunk {@code i} of version {@code v} is uploaded as {@code v/i} to the head
 * of chain {@code KeyHasher.chainForChunk(v, i, chainIds)} with its CRC32C; at most {@code
 * uploadParallelism} chunks are in flight, so memory stays ≤ chunk size × parallelism whatever the
 * object's size. Only when every chunk is durable is the manifest (size, chunk list, MD5 ETag,
 * content type, user metadata, version id) written on the key's chain — <b>the commit point</b>. A
 * failed put leaves orphan chunks to the cluster's lazy garbage collection, never a partial object.
 */
final class ObjectWriter {
  private final ChainCalls calls;
  private final ClusterDirectory directory;
  private final ClientConfig config;
  private final Clock clock;
  private final Supplier<String> versionIds;

  ObjectWriter(
      ChainCalls calls,
      ClusterDirectory directory,
      ClientConfig config,
      Clock clock,
      Supplier<String> versionIds) {
    this.calls = calls;
    this.directory = directory;
    this.config = config;
    this.clock = clock;
    this.versionIds = versionIds;
  }

  /** A manifest for an inline object (its bytes inside). */
  ObjectManifest inlineManifest(String bucket, String key, byte[] data, PutOptions o) {
    return base(bucket, key, versionIds.get(), o)
        .setSize(data.length)
        .setEtag(Checksums.md5Hex(data))
        .setInlineData(ByteString.copyFrom(data))
        .build();
  }

  private ObjectManifest.Builder base(String bucket, String key, String versionId, PutOptions o) {
    return ObjectManifest.newBuilder()
        .setBucket(bucket)
        .setKey(key)
        .setVersionId(versionId)
        .setContentType(o.contentType())
        .putAllUserMetadata(o.userMetadata())
        .setCreatedAtMillis(clock.millis());
  }

  /**
   * Reads the object from {@code in} (blocking; call on a client I/O thread), uploads its chunks if
   * it is large, and returns the manifest to commit. {@code length < 0}: read to end of stream.
   */
  ObjectManifest prepare(
      String bucket, String key, InputStream in, long length, PutOptions options) {
    if (length > config.maxObjectSize()) {
      throw new ObjectTooLargeException(
          "object of " + length + " bytes exceeds " + config.maxObjectSize());
    }
    int probe =
        length >= 0
            ? (int) Math.min(length, config.inlineThreshold() + 1L)
            : config.inlineThreshold() + 1;
    byte[] head = readUpTo(in, probe);
    if (length >= 0 && head.length < probe) {
      throw new InvalidRequestException(
          "stream ended after " + head.length + " of " + length + " bytes");
    }
    if (head.length <= config.inlineThreshold()) {
      return inlineManifest(bucket, key, head, options);
    }
    return uploadChunks(bucket, key, head, in, length, options);
  }

  private ObjectManifest uploadChunks(
      String bucket, String key, byte[] head, InputStream in, long length, PutOptions options) {
    List<Integer> chainIds = directory.snapshot().chainIds();
    if (chainIds.isEmpty()) {
      throw new CatenaUnavailableException("no chains in the cluster view");
    }
    String versionId = versionIds.get();
    long startedNanos = System.nanoTime();
    MessageDigest md5 = Checksums.md5();
    Semaphore permits = new Semaphore(config.uploadParallelism());
    var refs = new ArrayList<ChunkRef>();
    var uploads = new ArrayList<CompletableFuture<?>>();
    var failed = new CompletableFuture<Void>();
    long total = 0;
    int headUsed = 0;
    try {
      for (int index = 0; ; index++) {
        acquire(permits);
        if (failed.isDone()) {
          break;
        }
        long want = length >= 0 ? Math.min(config.chunkSize(), length - total) : config.chunkSize();
        if (want == 0) {
          permits.release();
          break;
        }
        byte[] buf = new byte[(int) want];
        int n = Math.min(head.length - headUsed, buf.length);
        System.arraycopy(head, headUsed, buf, 0, n);
        headUsed += n;
        n += readInto(in, buf, n);
        if (length >= 0 && n < want) {
          permits.release();
          throw new InvalidRequestException(
              "stream ended after " + (total + n) + " of " + length + " bytes");
        }
        if (n == 0) {
          permits.release();
          break;
        }
        total += n;
        if (total > config.maxObjectSize()) {
          permits.release();
          throw new ObjectTooLargeException("object exceeds " + config.maxObjectSize() + " bytes");
        }
        md5.update(buf, 0, n);
        int crc = Checksums.crc32c(buf, 0, n);
        String chunkId = versionId + "/" + index;
        int chain = KeyHasher.chainForChunk(versionId, index, chainIds);
        refs.add(
            ChunkRef.newBuilder()
                .setChunkId(chunkId)
                .setIndex(index)
                .setChainId(chain)
                .setLength(n)
                .setCrc32C(crc)
                .build());
        CompletableFuture<?> up =
            calls
                .uploadChunk(chain, chunkId, buf, n, crc)
                .whenComplete(
                    (r, e) -> {
                      permits.release();
                      if (e != null) {
                        failed.completeExceptionally(e);
                      }
                    });
        uploads.add(up);
        if (n < want) {
          break; // end of an unknown-length stream
        }
      }
    } finally {
      // Wait for what was started even on failure, so no upload outlives the put's buffers.
      CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new))
          .exceptionally(e -> null)
          .join();
    }
    if (failed.isCompletedExceptionally()) {
      Throwable cause = ErrorMapper.unwrap(failed.handle((v, e) -> e).join());
      throw cause instanceof RuntimeException r ? r : new CatenaException("upload failed", cause);
    }
    long elapsedMillis = (System.nanoTime() - startedNanos) / 1_000_000;
    if (elapsedMillis > GarbagePlan.MAX_PUT_MILLIS) {
      // Garbage collection may already count these chunks as orphans (GarbagePlan).
      throw new CatenaException(
          "put of " + bucket + "/" + key + " abandoned: uploading took " + elapsedMillis + " ms");
    }
    return base(bucket, key, versionId, options)
        .setSize(total)
        .setEtag(Checksums.hex(md5.digest()))
        .addAllChunks(refs)
        .build();
  }

  private static void acquire(Semaphore s) {
    try {
      s.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CatenaException("interrupted during upload", e);
    }
  }

  private static byte[] readUpTo(InputStream in, int n) {
    try {
      return in.readNBytes(n);
    } catch (IOException e) {
      throw new CatenaException("reading the object's input stream failed", e);
    }
  }

  private static int readInto(InputStream in, byte[] buf, int from) {
    try {
      return in.readNBytes(buf, from, buf.length - from);
    } catch (IOException e) {
      throw new CatenaException("reading the object's input stream failed", e);
    }
  }
}
