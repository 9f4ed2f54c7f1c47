package dev.catena.chain.transport;

import com.google.protobuf.ByteString;
import dev.catena.chain.runtime.ReplicaStore;
import dev.catena.chain.storage.NoSuchChunkException;
import dev.catena.chain.storage.StorageException;
import dev.catena.proto.v1.DownloadChunkResponse;
import dev.catena.proto.v1.ErrorCode;
import io.grpc.stub.ServerCallStreamObserver;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/**
 * Streams {@code [offset, end)} of one chunk to a client in pieces, only as fast as the client
 * takes them: a piece is read from disk and sent while the call is ready (gRPC flow control), and
 * the rest waits for the call's next on-ready signal. So a slow or stalled reader holds about one
 * flow-control window of the node's memory, not the whole chunk. Reads run on {@code readers},
 * never on a transport thread. A cancelled call stops reading.
 *
 * <p>Thread-safe: pieces are sent by one thread at a time.
 */
final class ChunkDownload {
  static final int PIECE = 1 << 20;

  private final ReplicaStore store;
  private final String chunkId;
  private final long end;
  private final ServerCallStreamObserver<DownloadChunkResponse> call;
  private final Executor readers;
  private long next;
  private boolean done;

  ChunkDownload(
      ReplicaStore store,
      String chunkId,
      long offset,
      long end,
      ServerCallStreamObserver<DownloadChunkResponse> call,
      Executor readers) {
    this.store = store;
    this.chunkId = chunkId;
    this.next = offset;
    this.end = end;
    this.call = call;
    this.readers = readers;
  }

  /** Sends what the call takes now, on a reader thread; called again on every on-ready signal. */
  void resume() {
    readers.execute(this::drain);
  }

  private synchronized void drain() {
    try {
      while (!done && !call.isCancelled() && next < end && call.isReady()) {
        int n = (int) Math.min(PIECE, end - next);
        ByteBuffer b = store.readChunk(chunkId, next, n);
        call.onNext(DownloadChunkResponse.newBuilder().setData(ByteString.copyFrom(b)).build());
        next += n;
      }
      if (!done && next >= end && !call.isCancelled()) {
        done = true;
        call.onCompleted();
      }
    } catch (NoSuchChunkException e) { // deleted while streaming
      done = true;
      call.onError(GrpcErrors.toStatus(ErrorCode.NO_SUCH_KEY, "chunk " + chunkId));
    } catch (StorageException e) { // a bad segment record: never send its bytes
      done = true;
      call.onError(GrpcErrors.toStatus(ErrorCode.CHECKSUM_MISMATCH, e.getMessage()));
    } catch (RuntimeException e) {
      done = true;
      call.onError(
          io.grpc.Status.INTERNAL
              .withDescription("reading chunk " + chunkId + ": " + e)
              .asRuntimeException());
    }
  }
}
