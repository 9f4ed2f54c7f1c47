package dev.catena.chain.transport;

import dev.catena.chain.protocol.WriteOps;
import dev.catena.chain.runtime.ChainStateReads;
import dev.catena.chain.runtime.NodeRuntime;
import dev.catena.chain.runtime.ReadCall;
import dev.catena.chain.runtime.ReplicaStore;
import dev.catena.chain.runtime.RequestLimits;
import dev.catena.chain.runtime.WriteCall;
import dev.catena.chain.storage.StorageException;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.DeleteObject;
import dev.catena.proto.v1.DeleteObjectRequest;
import dev.catena.proto.v1.DeleteObjectResponse;
import dev.catena.proto.v1.DownloadChunkRequest;
import dev.catena.proto.v1.DownloadChunkResponse;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.GetObjectRequest;
import dev.catena.proto.v1.GetObjectResponse;
import dev.catena.proto.v1.ListObjectsRequest;
import dev.catena.proto.v1.ListObjectsResponse;
import dev.catena.proto.v1.ObjectManifest;
import dev.catena.proto.v1.ObjectServiceGrpc;
import dev.catena.proto.v1.PutObjectRequest;
import dev.catena.proto.v1.PutObjectResponse;
import dev.catena.proto.v1.RequestId;
import dev.catena.proto.v1.UploadChunkRequest;
import dev.catena.proto.v1.UploadChunkResponse;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The client-facing object service of a node. Handlers validate input, then only enqueue into the
 * {@link NodeRuntime}; replies are sent from the runtime's verdicts. Reads are served from local
 * storage at the moment the protocol grants them (committed state only).
 */
final class ObjectServiceImpl extends ObjectServiceGrpc.ObjectServiceImplBase {
  private static final int MAX_LIST = 1000;

  private final NodeRuntime runtime;
  private final ReplicaStore store;
  private final RequestLimits limits;
  private final Executor chunkReaders;
  private final UploadBudget uploads;
  private final java.time.Clock clock;

  ObjectServiceImpl(
      NodeRuntime runtime,
      ReplicaStore store,
      RequestLimits limits,
      Executor chunkReaders,
      UploadBudget uploads,
      java.time.Clock clock) {
    this.runtime = runtime;
    this.store = store;
    this.limits = limits;
    this.chunkReaders = chunkReaders;
    this.uploads = uploads;
    this.clock = clock;
  }

  @Override
  public void listChunks(
      dev.catena.proto.v1.ListChunksRequest req,
      StreamObserver<dev.catena.proto.v1.ListChunksResponse> obs) {
    int limit = pageLimit(req.getLimit());
    rangeRead(
        req.getChainId(),
        req.getEpoch(),
        obs,
        reads -> {
          var page = reads.listChunks(req.getChainId(), req.getStartAfter(), limit + 1);
          return dev.catena.proto.v1.ListChunksResponse.newBuilder()
              .setTruncated(page.size() > limit)
              .addAllChunks(page.subList(0, Math.min(limit, page.size())))
              .build();
        });
  }

  private static int pageLimit(int requested) {
    return requested <= 0 ? MAX_LIST : Math.min(requested, MAX_LIST);
  }

  /** A read of a range of the chain's committed state (waits until all it received is durable). */
  private <R> void rangeRead(
      int chainId,
      long epoch,
      StreamObserver<R> obs,
      java.util.function.Function<ChainStateReads, R> read) {
    runtime.submitRead(chainId, epoch, null, readCall(obs, read));
  }

  @Override
  public void listReferences(
      dev.catena.proto.v1.ListReferencesRequest req,
      StreamObserver<dev.catena.proto.v1.ListReferencesResponse> obs) {
    int limit = pageLimit(req.getLimit());
    rangeRead(
        req.getChainId(),
        req.getEpoch(),
        obs,
        reads -> {
          var page = reads.references(req.getChainId(), req.getStartAfter(), limit);
          return dev.catena.proto.v1.ListReferencesResponse.newBuilder()
              .addAllChunkIds(page.chunkIds())
              .setNextStartAfter(page.lastPosition())
              .setTruncated(page.truncated())
              .build();
        });
  }

  @Override
  public void deleteChunk(
      dev.catena.proto.v1.DeleteChunkRequest req,
      StreamObserver<dev.catena.proto.v1.DeleteChunkResponse> obs) {
    if (refuse(RequestLimits.checkChunkId(req.getChunkId()), ErrorCode.INVALID_ARGUMENT, obs)
        || refuse(checkRequestId(req.getRequestId()), ErrorCode.INVALID_ARGUMENT, obs)) {
      return;
    }
    WriteOp op =
        writeOp(req.getRequestId())
            .setDeleteChunk(
                dev.catena.proto.v1.DeleteChunk.newBuilder().setChunkId(req.getChunkId()))
            .build();
    runtime.submitWrite(
        req.getChainId(),
        req.getEpoch(),
        op,
        writeCall(
            obs, r -> dev.catena.proto.v1.DeleteChunkResponse.newBuilder().setResult(r).build()));
  }

  @Override
  public void putObject(PutObjectRequest req, StreamObserver<PutObjectResponse> obs) {
    ObjectManifest m = req.getManifest();
    Optional<String> bad =
        RequestLimits.checkBucket(m.getBucket())
            .or(() -> RequestLimits.checkKey(m.getKey()))
            .or(() -> RequestLimits.checkId("version id", m.getVersionId()))
            .or(() -> checkChunkRefs(m));
    if (refuse(bad, ErrorCode.INVALID_ARGUMENT, obs)
        || refuse(limits.checkInline(m.getInlineData().size()), ErrorCode.TOO_LARGE, obs)
        || refuse(checkRequestId(req.getRequestId()), ErrorCode.INVALID_ARGUMENT, obs)
        || refuse(
            checkFence(req.getFencingScope(), req.getFencingToken()),
            ErrorCode.INVALID_ARGUMENT,
            obs)) {
      return;
    }
    WriteOp op =
        writeOp(req.getRequestId())
            .setPutManifest(m)
            .setFencingScope(req.getFencingScope())
            .setFencingToken(req.getFencingToken())
            .build();
    runtime.submitWrite(
        req.getChainId(),
        req.getEpoch(),
        op,
        writeCall(obs, r -> PutObjectResponse.newBuilder().setResult(r).build()));
  }

  @Override
  public void deleteObject(DeleteObjectRequest req, StreamObserver<DeleteObjectResponse> obs) {
    if (refuse(
            RequestLimits.checkBucket(req.getBucket())
                .or(() -> RequestLimits.checkKey(req.getKey())),
            ErrorCode.INVALID_ARGUMENT,
            obs)
        || refuse(checkRequestId(req.getRequestId()), ErrorCode.INVALID_ARGUMENT, obs)
        || refuse(
            checkFence(req.getFencingScope(), req.getFencingToken()),
            ErrorCode.INVALID_ARGUMENT,
            obs)) {
      return;
    }
    WriteOp op =
        writeOp(req.getRequestId())
            .setDeleteObject(
                DeleteObject.newBuilder().setBucket(req.getBucket()).setKey(req.getKey()))
            .setFencingScope(req.getFencingScope())
            .setFencingToken(req.getFencingToken())
            .build();
    runtime.submitWrite(
        req.getChainId(),
        req.getEpoch(),
        op,
        writeCall(obs, r -> DeleteObjectResponse.newBuilder().setResult(r).build()));
  }

  @Override
  public void getObject(GetObjectRequest req, StreamObserver<GetObjectResponse> obs) {
    if (refuse(
        RequestLimits.checkBucket(req.getBucket()).or(() -> RequestLimits.checkKey(req.getKey())),
        ErrorCode.INVALID_ARGUMENT,
        obs)) {
      return;
    }
    runtime.submitRead(
        req.getChainId(),
        req.getEpoch(),
        WriteOps.objectKey(req.getBucket(), req.getKey()),
        readCall(
            obs,
            reads ->
                reads
                    .getObject(req.getChainId(), req.getBucket(), req.getKey())
                    .map(m -> GetObjectResponse.newBuilder().setManifest(m).build())
                    .orElseThrow(
                        () ->
                            new TypedError(
                                ErrorCode.NO_SUCH_KEY, req.getBucket() + "/" + req.getKey()))));
  }

  @Override
  public void listObjects(ListObjectsRequest req, StreamObserver<ListObjectsResponse> obs) {
    if (refuse(RequestLimits.checkBucket(req.getBucket()), ErrorCode.INVALID_ARGUMENT, obs)) {
      return;
    }
    int limit = req.getLimit() <= 0 ? MAX_LIST : Math.min(req.getLimit(), MAX_LIST);
    runtime.submitRead(
        req.getChainId(),
        req.getEpoch(),
        null,
        readCall(
            obs,
            reads -> {
              List<ObjectManifest> page =
                  reads.list(
                      req.getChainId(),
                      req.getBucket(),
                      req.getPrefix(),
                      req.getStartAfter(),
                      limit + 1);
              boolean truncated = page.size() > limit;
              var b = ListObjectsResponse.newBuilder().setTruncated(truncated);
              page.stream()
                  .limit(limit)
                  .forEach(m -> b.addObjects(m.toBuilder().clearInlineData()));
              return b.build();
            }));
  }

  @Override
  public StreamObserver<UploadChunkRequest> uploadChunk(StreamObserver<UploadChunkResponse> obs) {
    return new ChunkUpload(runtime, limits, uploads, clock, obs);
  }

  @Override
  public void downloadChunk(DownloadChunkRequest req, StreamObserver<DownloadChunkResponse> obs) {
    if (refuse(
        RequestLimits.checkChunkId(req.getChunkId())
            .or(
                () ->
                    req.getOffset() < 0 || req.getLength() < 0
                        ? Optional.of("negative offset or length")
                        : Optional.empty()),
        ErrorCode.INVALID_ARGUMENT,
        obs)) {
      return;
    }
    // The on-ready handler can be set only now, before this method returns; the download it
    // resumes exists once the protocol grants the read.
    var call = (ServerCallStreamObserver<DownloadChunkResponse>) obs;
    var download = new java.util.concurrent.atomic.AtomicReference<ChunkDownload>();
    call.setOnReadyHandler(
        () -> {
          ChunkDownload d = download.get();
          if (d != null) {
            d.resume();
          }
        });
    runtime.submitRead(
        req.getChainId(),
        req.getEpoch(),
        WriteOps.chunkKey(req.getChunkId()),
        new ReadCall() {
          @Override
          public void serve(ChainStateReads reads) {
            // Chunk ids name immutable content, so the bytes can be streamed on another thread.
            chunkReaders.execute(
                () -> {
                  try {
                    download.set(startDownload(req, call));
                    download.get().resume();
                  } catch (TypedError e) {
                    obs.onError(GrpcErrors.toStatus(e.code, e.getMessage()));
                  }
                });
          }

          @Override
          public void failed(CatenaError error) {
            obs.onError(GrpcErrors.toStatus(error));
          }
        });
  }

  private ChunkDownload startDownload(
      DownloadChunkRequest req, ServerCallStreamObserver<DownloadChunkResponse> call) {
    long len =
        store
            .chunkLength(req.getChunkId())
            .orElseThrow(() -> new TypedError(ErrorCode.NO_SUCH_KEY, "chunk " + req.getChunkId()));
    if (req.getOffset() > len) {
      throw new TypedError(
          ErrorCode.INVALID_ARGUMENT, "offset " + req.getOffset() + " beyond " + len);
    }
    long end = req.getLength() == 0 ? len : Math.min(len, req.getOffset() + req.getLength());
    return new ChunkDownload(store, req.getChunkId(), req.getOffset(), end, call, chunkReaders);
  }

  static WriteOp.Builder writeOp(RequestId id) {
    return WriteOp.newBuilder()
        .setClientId(id.getClientId())
        .setRequestSeq(id.getRequestSeq())
        .setAckedBelow(id.getAckedBelow());
  }

  static Optional<String> checkRequestId(RequestId id) {
    if (id.getClientId().isEmpty() || id.getRequestSeq() <= 0) {
      return Optional.of("request id needs a client id and a positive seq");
    }
    if (id.getAckedBelow() < 0 || id.getAckedBelow() > id.getRequestSeq()) {
      return Optional.of("acked_below " + id.getAckedBelow() + " outside [0, request seq]");
    }
    return RequestLimits.checkId("client id", id.getClientId());
  }

  /** Why a fence is invalid, if it is: token 0 means none; otherwise a scope is required. */
  private static Optional<String> checkFence(String scope, long token) {
    if (token < 0) {
      return Optional.of("negative fencing token");
    }
    if (token == 0) {
      return scope.isEmpty() ? Optional.empty() : Optional.of("fencing scope without a token");
    }
    return RequestLimits.checkId("fencing scope", scope);
  }

  /** Why the chunk list of a manifest is invalid, if it is (every id must be storable). */
  private static Optional<String> checkChunkRefs(ObjectManifest m) {
    for (var c : m.getChunksList()) {
      Optional<String> bad = RequestLimits.checkChunkId(c.getChunkId());
      if (bad.isPresent()) {
        return bad;
      }
      if (c.getLength() <= 0) {
        return Optional.of("chunk " + c.getChunkId() + " has length " + c.getLength());
      }
    }
    return m.getSize() < 0 ? Optional.of("negative object size") : Optional.empty();
  }

  static boolean refuse(Optional<String> reason, ErrorCode code, StreamObserver<?> obs) {
    reason.ifPresent(r -> obs.onError(GrpcErrors.toStatus(code, r)));
    return reason.isPresent();
  }

  static <R> WriteCall writeCall(StreamObserver<R> obs, Function<WriteResult, R> reply) {
    return new WriteCall() {
      @Override
      public void committed(WriteResult result) {
        obs.onNext(reply.apply(result));
        obs.onCompleted();
      }

      @Override
      public void failed(CatenaError error) {
        obs.onError(GrpcErrors.toStatus(error));
      }
    };
  }

  private static <R> ReadCall readCall(
      StreamObserver<R> obs, java.util.function.Function<ChainStateReads, R> read) {
    return new ReadCall() {
      @Override
      public void serve(ChainStateReads reads) {
        R r;
        try {
          r = read.apply(reads);
        } catch (TypedError e) {
          obs.onError(GrpcErrors.toStatus(e.code, e.getMessage()));
          return;
        } catch (StorageException e) {
          obs.onError(GrpcErrors.toStatus(ErrorCode.CHECKSUM_MISMATCH, e.getMessage()));
          return;
        }
        obs.onNext(r);
        obs.onCompleted();
      }

      @Override
      public void failed(CatenaError error) {
        obs.onError(GrpcErrors.toStatus(error));
      }
    };
  }

  /** A typed refusal raised while serving a read. */
  private static final class TypedError extends RuntimeException {
    final ErrorCode code;

    TypedError(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
