package dev.catena.client.impl;

import dev.catena.client.CatenaException;
import dev.catena.client.ChecksumMismatchException;
import dev.catena.client.routing.ChainRoute;
import dev.catena.proto.v1.DeleteObjectRequest;
import dev.catena.proto.v1.DeleteObjectResponse;
import dev.catena.proto.v1.DownloadChunkRequest;
import dev.catena.proto.v1.GetObjectRequest;
import dev.catena.proto.v1.GetObjectResponse;
import dev.catena.proto.v1.ListObjectsRequest;
import dev.catena.proto.v1.ListObjectsResponse;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.ObjectServiceGrpc;
import dev.catena.proto.v1.PutObjectRequest;
import dev.catena.proto.v1.PutObjectResponse;
import dev.catena.proto.v1.RequestId;
import dev.catena.proto.v1.UploadChunkRequest;
import dev.catena.proto.v1.UploadChunkResponse;
import dev.catena.proto.v1.WriteResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Every object-service RPC of the client, each wrapped in the {@link Retrier} and routed by the
 * current view: writes (put manifest, delete, upload chunk) to the head of their chain with one
 * exactly-once {@link RequestId} for all attempts, reads (get manifest, list, download chunk) to
 * the tail. Requests carry the chain id and the view's epoch of that chain.
 */
public final class ChainCalls {
  private final NodeChannels channels;
  private final RequestIds ids;
  private final Retrier retrier;

  public ChainCalls(NodeChannels channels, RequestIds ids, Retrier retrier) {
    this.channels = channels;
    this.ids = ids;
    this.retrier = retrier;
  }

  public RequestIds ids() {
    return ids;
  }

  private ObjectServiceGrpc.ObjectServiceStub stub(NodeInfo node, Retrier.Attempt a) {
    return channels.stub(node).withDeadlineAfter(a.timeoutNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Runs a write with a fresh request seq, the same for all its attempts; the seq stays outstanding
   * (holding back acked_below) until the write is answered or abandoned.
   */
  private CompletableFuture<WriteResult> write(
      String what, Function<Long, Function<Retrier.Attempt, CompletableFuture<WriteResult>>> op) {
    long seq = ids.begin();
    return writeWithSeq(what, op.apply(seq)).whenComplete((r, e) -> ids.finish(seq));
  }

  /**
   * Runs the attempts of a write whose seq the caller allocated and will {@link RequestIds#finish};
   * sending the same seq twice replays the request id (exactly-once tests).
   */
  public CompletableFuture<WriteResult> writeWithSeq(
      String what, Function<Retrier.Attempt, CompletableFuture<WriteResult>> attempt) {
    return retrier
        .run(what, attempt)
        .thenApply(
            r -> {
              if (!r.getOk()) {
                throw new CatenaException(what + " refused with code " + r.getErrorCode());
              }
              return r;
            });
  }

  /** Writes a manifest on its key's chain: the commit point of a put. */
  public CompletableFuture<WriteResult> putManifest(ObjectManifest m) {
    return putManifest(m, java.util.Optional.empty());
  }

  /** Writes a manifest, under a lock if {@code fence} is present. */
  public CompletableFuture<WriteResult> putManifest(
      ObjectManifest m, java.util.Optional<dev.catena.client.Fence> fence) {
    return write(
        "put " + m.getBucket() + "/" + m.getKey(), seq -> putManifestAttempt(m, seq, fence));
  }

  /** One attempt function of a manifest write with request seq {@code seq}. */
  public Function<Retrier.Attempt, CompletableFuture<WriteResult>> putManifestAttempt(
      ObjectManifest m, long seq) {
    return putManifestAttempt(m, seq, java.util.Optional.empty());
  }

  private Function<Retrier.Attempt, CompletableFuture<WriteResult>> putManifestAttempt(
      ObjectManifest m, long seq, java.util.Optional<dev.catena.client.Fence> fence) {
    return a -> {
      ChainRoute r = Routes.route(a.view(), Routes.chainOf(a.view(), m.getBucket(), m.getKey()));
      var req =
          PutObjectRequest.newBuilder()
              .setChainId(r.chainId())
              .setEpoch(r.epoch())
              .setRequestId(ids.idOf(seq))
              .setManifest(m)
              .setFencingScope(fence.map(dev.catena.client.Fence::scope).orElse(""))
              .setFencingToken(fence.map(dev.catena.client.Fence::token).orElse(0L))
              .build();
      return Rpc.unary(stub(Routes.head(r), a)::putObject, req)
          .thenApply(PutObjectResponse::getResult);
    };
  }

  /** Deletes an object (a tombstone on its chain). */
  public CompletableFuture<WriteResult> deleteObject(
      String bucket, String key, java.util.Optional<dev.catena.client.Fence> fence) {
    return write(
        "delete " + bucket + "/" + key,
        seq ->
            a -> {
              ChainRoute r = Routes.route(a.view(), Routes.chainOf(a.view(), bucket, key));
              var req =
                  DeleteObjectRequest.newBuilder()
                      .setChainId(r.chainId())
                      .setEpoch(r.epoch())
                      .setRequestId(ids.idOf(seq))
                      .setBucket(bucket)
                      .setKey(key)
                      .setFencingScope(fence.map(dev.catena.client.Fence::scope).orElse(""))
                      .setFencingToken(fence.map(dev.catena.client.Fence::token).orElse(0L))
                      .build();
              return Rpc.unary(stub(Routes.head(r), a)::deleteObject, req)
                  .thenApply(DeleteObjectResponse::getResult);
            });
  }

  /** Uploads {@code data[0, length)} as chunk {@code chunkId} to the head of {@code chainId}. */
  public CompletableFuture<WriteResult> uploadChunk(
      int chainId, String chunkId, byte[] data, int length, int crc32c) {
    return write(
        "upload chunk " + chunkId,
        seq ->
            a -> {
              ChainRoute r = Routes.route(a.view(), chainId);
              var header =
                  UploadChunkRequest.newBuilder()
                      .setChainId(chainId)
                      .setEpoch(r.epoch())
                      .setRequestId(ids.idOf(seq))
                      .setChunkId(chunkId)
                      .setLength(length)
                      .setCrc32C(crc32c)
                      .build();
              return Rpc.upload(stub(Routes.head(r), a), header, data, length)
                  .thenApply(UploadChunkResponse::getResult);
            });
  }

  /** The committed manifest of {@code bucket/key}, read at the tail of its chain. */
  public CompletableFuture<ObjectManifest> getManifest(String bucket, String key) {
    return retrier.run(
        "get " + bucket + "/" + key,
        a -> {
          ChainRoute r = Routes.route(a.view(), Routes.chainOf(a.view(), bucket, key));
          var req =
              GetObjectRequest.newBuilder()
                  .setChainId(r.chainId())
                  .setEpoch(r.epoch())
                  .setBucket(bucket)
                  .setKey(key)
                  .build();
          return Rpc.unary(stub(Routes.tail(r), a)::getObject, req)
              .thenApply(GetObjectResponse::getManifest);
        });
  }

  /** One page of the chunks chain {@code chainId} stores, read at its tail. */
  public CompletableFuture<dev.catena.proto.v1.ListChunksResponse> listChunks(
      int chainId, String startAfter, int limit) {
    return retrier.run(
        "list chunks of chain " + chainId,
        a -> {
          ChainRoute r = Routes.route(a.view(), chainId);
          var req =
              dev.catena.proto.v1.ListChunksRequest.newBuilder()
                  .setChainId(chainId)
                  .setEpoch(r.epoch())
                  .setStartAfter(startAfter)
                  .setLimit(limit)
                  .build();
          return Rpc.unary(stub(Routes.tail(r), a)::listChunks, req);
        });
  }

  /** One page of the chunk ids the manifests of chain {@code chainId} reference (at its tail). */
  public CompletableFuture<dev.catena.proto.v1.ListReferencesResponse> listReferences(
      int chainId, String startAfter, int limit) {
    return retrier.run(
        "list references of chain " + chainId,
        a -> {
          ChainRoute r = Routes.route(a.view(), chainId);
          var req =
              dev.catena.proto.v1.ListReferencesRequest.newBuilder()
                  .setChainId(chainId)
                  .setEpoch(r.epoch())
                  .setStartAfter(startAfter)
                  .setLimit(limit)
                  .build();
          return Rpc.unary(stub(Routes.tail(r), a)::listReferences, req);
        });
  }

  /** Deletes chunk {@code chunkId} from chain {@code chainId} (a write through its head). */
  public CompletableFuture<WriteResult> deleteChunk(int chainId, String chunkId) {
    return write(
        "delete chunk " + chunkId,
        seq ->
            a -> {
              ChainRoute r = Routes.route(a.view(), chainId);
              var req =
                  dev.catena.proto.v1.DeleteChunkRequest.newBuilder()
                      .setChainId(chainId)
                      .setEpoch(r.epoch())
                      .setRequestId(ids.idOf(seq))
                      .setChunkId(chunkId)
                      .build();
              return Rpc.unary(stub(Routes.head(r), a)::deleteChunk, req)
                  .thenApply(dev.catena.proto.v1.DeleteChunkResponse::getResult);
            });
  }

  /** One listing page of one chain, read at its tail. */
  public CompletableFuture<ListObjectsResponse> list(
      int chainId, String bucket, String prefix, String startAfter, int limit) {
    return retrier.run(
        "list chain " + chainId,
        a -> {
          ChainRoute r = Routes.route(a.view(), chainId);
          var req =
              ListObjectsRequest.newBuilder()
                  .setChainId(chainId)
                  .setEpoch(r.epoch())
                  .setBucket(bucket)
                  .setPrefix(prefix)
                  .setStartAfter(startAfter)
                  .setLimit(limit)
                  .build();
          return Rpc.unary(stub(Routes.tail(r), a)::listObjects, req);
        });
  }

  /**
   * Downloads one segment of a chunk from the tail of its chain. A segment covering the whole chunk
   * is checked against the manifest's CRC32C; a partial segment is not (the server verifies its
   * block checksums on every read, DESIGN §5).
   */
  public CompletableFuture<byte[]> download(ChunkPlanner.Segment s) {
    var c = s.chunk();
    return retrier
        .run(
            "download chunk " + c.getChunkId(),
            a -> {
              ChainRoute r = Routes.route(a.view(), c.getChainId());
              var req =
                  DownloadChunkRequest.newBuilder()
                      .setChainId(c.getChainId())
                      .setEpoch(r.epoch())
                      .setChunkId(c.getChunkId())
                      .setOffset(s.offset())
                      .setLength(s.length())
                      .build();
              return Rpc.download(stub(Routes.tail(r), a), req, Math.toIntExact(s.length()));
            })
        .thenApply(
            b -> {
              if (s.whole() && Checksums.crc32c(b, 0, b.length) != c.getCrc32C()) {
                throw new ChecksumMismatchException(
                    "chunk " + c.getChunkId() + " failed its CRC32C check");
              }
              return b;
            });
  }
}
