package dev.catena.client.impl;

import com.google.protobuf.ByteString;
import dev.catena.client.CatenaException;
import dev.catena.client.CatenaUnavailableException;
import dev.catena.client.InvalidRequestException;
import dev.catena.client.NoSuchKeyException;
import dev.catena.client.ObjectMetadata;
import dev.catena.client.ObjectTooLargeException;
import dev.catena.client.PutOptions;
import dev.catena.client.routing.ClusterDirectory;
import dev.catena.proto.v1.ChunkRef;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.sharding.KeyHasher;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Composition of committed objects into a new one without copying their data (S3 multipart
 * complete): the new manifest lists the parts' chunk references in order, under new indexes but
 * their own chunk ids, so the bytes stay where the parts' puts wrote them. A part stored inline in
 * its manifest (at most the inline threshold, in S3 terms only ever the last part) has no chunk to
 * reference; its bytes are uploaded once as a chunk of the new version.
 *
 * <p>Each part is named by the metadata its put returned; the composer re-reads its manifest and
 * refuses a part whose version changed since ({@link InvalidRequestException}), so a part replaced
 * concurrently is never composed. Writing the new manifest is the commit point, as for a put; the
 * chunks stay referenced by the parts' manifests until the caller deletes those, and by the new
 * manifest afterwards.
 */
final class ObjectComposer {
  private final ChainCalls calls;
  private final ClusterDirectory directory;
  private final ClientConfig config;
  private final Clock clock;
  private final Supplier<String> versionIds;

  ObjectComposer(
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

  /** Reads the parts' manifests, uploads inline parts as chunks, and returns the manifest. */
  CompletableFuture<ObjectManifest> prepare(
      String bucket, String key, List<ObjectMetadata> parts, String etag, PutOptions options) {
    if (parts.isEmpty()) {
      return CompletableFuture.failedFuture(
          new InvalidRequestException("a composed object needs at least one part"));
    }
    List<CompletableFuture<ObjectManifest>> manifests = new ArrayList<>();
    for (ObjectMetadata p : parts) {
      manifests.add(
          calls
              .getManifest(p.bucket(), p.key())
              .handle(
                  (m, e) -> {
                    if (e == null) {
                      return checkVersion(p, m);
                    }
                    Throwable t = ErrorMapper.unwrap(e);
                    if (t instanceof NoSuchKeyException) {
                      throw new InvalidRequestException(
                          "part " + p.bucket() + "/" + p.key() + " no longer exists");
                    }
                    throw t instanceof RuntimeException r
                        ? r
                        : new CatenaException("reading part " + p.key() + " failed", t);
                  }));
    }
    return CompletableFuture.allOf(manifests.toArray(CompletableFuture[]::new))
        .thenCompose(
            v ->
                assemble(
                    bucket,
                    key,
                    manifests.stream().map(CompletableFuture::join).toList(),
                    etag,
                    options));
  }

  private static ObjectManifest checkVersion(ObjectMetadata part, ObjectManifest m) {
    if (!m.getVersionId().equals(part.versionId())) {
      throw new InvalidRequestException(
          "part "
              + part.bucket()
              + "/"
              + part.key()
              + " was replaced (version "
              + m.getVersionId()
              + ", expected "
              + part.versionId()
              + ")");
    }
    return m;
  }

  private CompletableFuture<ObjectManifest> assemble(
      String bucket, String key, List<ObjectManifest> parts, String etag, PutOptions options) {
    List<Integer> chainIds = directory.snapshot().chainIds();
    if (chainIds.isEmpty()) {
      return CompletableFuture.failedFuture(
          new CatenaUnavailableException("no chains in the cluster view"));
    }
    String versionId = versionIds.get();
    var refs = new ArrayList<ChunkRef>();
    var uploads = new ArrayList<CompletableFuture<?>>();
    long size = 0;
    for (ObjectManifest part : parts) {
      size += part.getSize();
      if (part.getChunksCount() > 0) {
        for (ChunkRef c : part.getChunksList()) {
          refs.add(c.toBuilder().setIndex(refs.size()).build());
        }
      } else if (part.getSize() > 0) {
        byte[] data = part.getInlineData().toByteArray();
        int index = refs.size();
        String chunkId = versionId + "/" + index;
        int chain = KeyHasher.chainForChunk(versionId, index, chainIds);
        int crc = Checksums.crc32c(data, 0, data.length);
        refs.add(
            ChunkRef.newBuilder()
                .setChunkId(chunkId)
                .setIndex(index)
                .setChainId(chain)
                .setLength(data.length)
                .setCrc32C(crc)
                .build());
        uploads.add(calls.uploadChunk(chain, chunkId, data, data.length, crc));
      }
    }
    if (size > config.maxObjectSize() || refs.size() > 10_000) {
      return CompletableFuture.failedFuture(
          new ObjectTooLargeException(
              "composed object of " + size + " bytes in " + refs.size() + " chunks is too large"));
    }
    var b =
        ObjectManifest.newBuilder()
            .setBucket(bucket)
            .setKey(key)
            .setVersionId(versionId)
            .setSize(size)
            .setEtag(etag)
            .setContentType(options.contentType())
            .putAllUserMetadata(options.userMetadata())
            .setCreatedAtMillis(clock.millis());
    if (refs.isEmpty()) {
      b.setInlineData(ByteString.EMPTY);
    } else {
      b.addAllChunks(refs);
    }
    ObjectManifest m = b.build();
    return CompletableFuture.allOf(uploads.toArray(CompletableFuture[]::new)).thenApply(v -> m);
  }
}
