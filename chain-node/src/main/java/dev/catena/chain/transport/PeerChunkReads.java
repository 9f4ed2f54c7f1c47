package dev.catena.chain.transport;

import com.google.protobuf.ByteString;
import dev.catena.chain.protocol.ReplicaStatus;
import dev.catena.chain.protocol.Role;
import dev.catena.chain.runtime.ChunkIntegrity;
import dev.catena.chain.runtime.ReplicaStore;
import dev.catena.chain.runtime.RequestLimits;
import dev.catena.chain.storage.ChecksumMismatchException;
import dev.catena.chain.storage.InvalidRangeException;
import dev.catena.chain.storage.NoSuchChunkException;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ChunkMeta;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.PeerChunkPart;
import dev.catena.proto.v1.PeerChunkRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Serves {@code ChainService.ReadChunk}: one member of a chain reads another member's copy of a
 * chunk, to repair its own. Any ACTIVE member serves it (head, middle or tail), which lets a tail
 * repair its copy from its predecessor. The chain is checked first: the serving replica must be an
 * ACTIVE member at exactly the request's epoch (otherwise {@code UNKNOWN_CHAIN} or {@code
 * WRONG_EPOCH} with the current epoch).
 *
 * <p><b>Damaged bytes are never served.</b> The whole chunk is read (every segment record's CRC is
 * verified by the read) and compared with the chain's marker (length and CRC32C) before the first
 * piece is sent; a chunk that fails either check is refused with {@code CHECKSUM_MISMATCH}, one
 * whose bytes or marker are gone with {@code NO_SUCH_KEY}. Memory is bounded by one chunk per call.
 *
 * <p>The read bypasses the event loop: chunk ids name immutable content and the marker is the
 * requester's yardstick too (it verifies what it receives against its own marker), so no ordering
 * with the chain's writes is needed; for the same reason a fenced member still serves it (it serves
 * bytes the requester can judge, never an answer about committed state). Membership comes from the
 * runtime's replica status, read on a reader thread, never on a transport thread.
 */
final class PeerChunkReads {
  private static final int PIECE = 1 << 20;

  private final Supplier<List<ReplicaStatus>> replicas;
  private final ReplicaStore store;
  private final Executor readers;

  /**
   * @param replicas this node's replica status (blocks briefly: called on {@code readers} only)
   * @param readers threads that read chunks off the transport threads
   */
  PeerChunkReads(Supplier<List<ReplicaStatus>> replicas, ReplicaStore store, Executor readers) {
    this.replicas = replicas;
    this.store = store;
    this.readers = readers;
  }

  void serve(PeerChunkRequest req, StreamObserver<PeerChunkPart> obs) {
    Optional<String> bad = RequestLimits.checkChunkId(req.getChunkId());
    if (bad.isPresent()) {
      obs.onError(GrpcErrors.toStatus(ErrorCode.INVALID_ARGUMENT, bad.get()));
      return;
    }
    readers.execute(() -> read(req, obs));
  }

  private void read(PeerChunkRequest req, StreamObserver<PeerChunkPart> obs) {
    try {
      readVerified(req, obs);
    } catch (RuntimeException e) {
      // storage closed, runtime not answering: the caller tries another member
      obs.onError(Status.UNAVAILABLE.withDescription(e.toString()).asRuntimeException());
    }
  }

  private void readVerified(PeerChunkRequest req, StreamObserver<PeerChunkPart> obs) {
    Optional<CatenaError> refused = refusal(req, replicas.get());
    if (refused.isPresent()) {
      obs.onError(GrpcErrors.toStatus(refused.get()));
      return;
    }
    List<ByteString> pieces;
    try {
      pieces = verifiedPieces(req.getChainId(), req.getChunkId());
    } catch (Refused e) {
      obs.onError(GrpcErrors.toStatus(e.code, e.getMessage()));
      return;
    }
    for (ByteString p : pieces) {
      obs.onNext(PeerChunkPart.newBuilder().setData(p).build());
    }
    obs.onCompleted();
  }

  /**
   * Why the replica statuses {@code all} of this node refuse {@code req}, if they do: no replica of
   * the chain or one that is not an ACTIVE member ({@code UNKNOWN_CHAIN}), or an epoch other than
   * the replica's, or a replica waiting for a newer configuration ({@code WRONG_EPOCH}).
   */
  static Optional<CatenaError> refusal(PeerChunkRequest req, List<ReplicaStatus> all) {
    int chainId = req.getChainId();
    Optional<ReplicaStatus> replica = all.stream().filter(s -> s.chainId() == chainId).findFirst();
    if (replica.isEmpty()
        || replica.get().role() == Role.NOT_MEMBER
        || replica.get().role() == Role.SYNCING) {
      String role = replica.map(s -> " (" + s.role() + ")").orElse("");
      return Optional.of(
          error(
              ErrorCode.UNKNOWN_CHAIN,
              "not an active member of chain " + chainId + role,
              chainId,
              replica.map(ReplicaStatus::epoch).orElse(0L)));
    }
    ReplicaStatus r = replica.get();
    if (r.epoch() != req.getEpoch() || r.awaitingConfig()) {
      return Optional.of(
          error(
              ErrorCode.WRONG_EPOCH,
              "chain " + chainId + " is at epoch " + r.epoch() + ", request at " + req.getEpoch(),
              chainId,
              r.epoch()));
    }
    return Optional.empty();
  }

  private static CatenaError error(ErrorCode code, String message, int chainId, long epoch) {
    return CatenaError.newBuilder()
        .setCode(code)
        .setMessage(message)
        .setChainId(chainId)
        .setCurrentEpoch(epoch)
        .build();
  }

  /** The chunk's bytes in pieces, read whole and verified against the chain's marker. */
  private List<ByteString> verifiedPieces(int chainId, String chunkId) throws Refused {
    ChunkMeta marker =
        store
            .chunkMeta(chainId, chunkId)
            .orElseThrow(
                () ->
                    new Refused(
                        ErrorCode.NO_SUCH_KEY,
                        "chain " + chainId + " holds no marker with a checksum for " + chunkId));
    long length = marker.getLength();
    List<ByteString> pieces = new ArrayList<>();
    ByteString whole = ByteString.EMPTY;
    try {
      for (long off = 0; off < length; off += PIECE) {
        ByteString piece =
            ByteString.copyFrom(store.readChunk(chunkId, off, (int) Math.min(PIECE, length - off)));
        pieces.add(piece);
        whole = whole.concat(piece); // a rope: no copy
      }
      if (store.chunkLength(chunkId).orElse(-1) != length) {
        throw new Refused(ErrorCode.CHECKSUM_MISMATCH, lengthMismatch(chunkId, length));
      }
    } catch (NoSuchChunkException e) {
      throw new Refused(ErrorCode.NO_SUCH_KEY, "chunk " + chunkId + " has no bytes here");
    } catch (ChecksumMismatchException e) {
      throw new Refused(ErrorCode.CHECKSUM_MISMATCH, e.getMessage());
    } catch (InvalidRangeException e) {
      throw new Refused(ErrorCode.CHECKSUM_MISMATCH, lengthMismatch(chunkId, length));
    }
    if (ChunkIntegrity.crc32c(whole) != marker.getCrc32C()) {
      throw new Refused(
          ErrorCode.CHECKSUM_MISMATCH, "chunk " + chunkId + " differs from its marker's CRC32C");
    }
    return pieces;
  }

  private static String lengthMismatch(String chunkId, long length) {
    return "chunk " + chunkId + " is stored with another length than its marker's " + length;
  }

  /** A refusal found while reading, with its typed code. */
  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;
    final ErrorCode code;

    Refused(ErrorCode code, String message) {
      super(message, null, false, false);
      this.code = code;
    }
  }
}
