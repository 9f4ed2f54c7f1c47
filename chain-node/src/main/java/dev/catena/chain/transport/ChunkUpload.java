package dev.catena.chain.transport;

import static dev.catena.chain.transport.ObjectServiceImpl.checkRequestId;
import static dev.catena.chain.transport.ObjectServiceImpl.refuse;
import static dev.catena.chain.transport.ObjectServiceImpl.writeCall;
import static dev.catena.chain.transport.ObjectServiceImpl.writeOp;

import com.google.protobuf.ByteString;
import dev.catena.chain.runtime.NodeRuntime;
import dev.catena.chain.runtime.RequestLimits;
import dev.catena.chain.runtime.WriteCall;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ErrorCode;
import dev.catena.proto.v1.PutChunk;
import dev.catena.proto.v1.UploadChunkRequest;
import dev.catena.proto.v1.UploadChunkResponse;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * One client-streamed chunk upload: the first message declares the chunk (id, length, CRC32C,
 * request id) and is validated, and the upload reserves its length in the node's {@link
 * UploadBudget} or is refused with {@code OVERLOADED}; the pieces are kept as received (no copy);
 * at the end the length and CRC32C are checked and the chunk is submitted as one write. The
 * reservation is given back exactly once: when the reply is sent, or when the upload is refused or
 * abandoned before it was submitted. gRPC calls the observer's methods one at a time.
 */
final class ChunkUpload implements StreamObserver<UploadChunkRequest> {
  private final NodeRuntime runtime;
  private final RequestLimits limits;
  private final UploadBudget uploads;
  private final java.time.Clock clock;
  private final StreamObserver<UploadChunkResponse> obs;
  private UploadChunkRequest header;
  private ByteString data = ByteString.EMPTY;
  private boolean failed;
  // Bytes of the upload budget this upload holds; given back once, when its reply is sent.
  private final java.util.concurrent.atomic.AtomicLong reserved =
      new java.util.concurrent.atomic.AtomicLong();

  ChunkUpload(
      NodeRuntime runtime,
      RequestLimits limits,
      UploadBudget uploads,
      java.time.Clock clock,
      StreamObserver<UploadChunkResponse> obs) {
    this.runtime = runtime;
    this.limits = limits;
    this.uploads = uploads;
    this.clock = clock;
    this.obs = obs;
  }

  @Override
  public void onNext(UploadChunkRequest piece) {
    if (failed) {
      return;
    }
    if (header == null) {
      header = piece;
      if (refuse(limits.checkChunk(piece.getLength()), ErrorCode.TOO_LARGE, obs)
          || refuse(checkRequestId(piece.getRequestId()), ErrorCode.INVALID_ARGUMENT, obs)
          || refuse(RequestLimits.checkChunkId(piece.getChunkId()), ErrorCode.INVALID_ARGUMENT, obs)
          || refuse(
              // Objects up to the inline threshold are stored inline; a chunk is never empty.
              piece.getLength() == 0
                  ? Optional.of("empty chunk " + piece.getChunkId())
                  : Optional.empty(),
              ErrorCode.INVALID_ARGUMENT,
              obs)
          || refuse(reserve(piece.getLength()), ErrorCode.OVERLOADED, obs)) {
        failed = true;
        return;
      }
    }
    if (data.size() + piece.getData().size() > header.getLength()) {
      fail(Optional.of("chunk longer than declared " + header.getLength()), ErrorCode.TOO_LARGE);
      return;
    }
    data = data.concat(piece.getData());
  }

  /** Why the upload does not fit in the node's budget now, if it does not. */
  private Optional<String> reserve(long length) {
    if (!uploads.tryReserve(length)) {
      return Optional.of(
          "node busy: "
              + (uploads.reservedBytes() >> 20)
              + " MiB of chunk uploads in flight (budget "
              + (uploads.capacityBytes() >> 20)
              + " MiB); retry after a back-off");
    }
    reserved.set(length);
    return Optional.empty();
  }

  private void release() {
    long n = reserved.getAndSet(0);
    if (n > 0) {
      uploads.release(n);
    }
  }

  private void fail(Optional<String> reason, ErrorCode code) {
    failed = true;
    data = ByteString.EMPTY;
    release();
    refuse(reason, code, obs);
  }

  @Override
  public void onError(Throwable t) {
    if (!failed) { // the client went away before the upload was submitted; nothing was written
      fail(Optional.empty(), ErrorCode.INVALID_ARGUMENT);
    }
  }

  @Override
  public void onCompleted() {
    if (failed) {
      return;
    }
    if (header == null || data.size() != header.getLength()) {
      fail(
          Optional.of("truncated chunk stream: got " + data.size() + " bytes"),
          ErrorCode.INVALID_ARGUMENT);
      return;
    }
    CRC32C crc = new CRC32C();
    for (ByteBuffer b : data.asReadOnlyByteBufferList()) {
      crc.update(b);
    }
    if ((int) crc.getValue() != header.getCrc32C()) {
      fail(
          Optional.of("chunk " + header.getChunkId() + " CRC32C mismatch"),
          ErrorCode.CHECKSUM_MISMATCH);
      return;
    }
    WriteOp op =
        writeOp(header.getRequestId())
            .setPutChunk(
                PutChunk.newBuilder()
                    .setChunkId(header.getChunkId())
                    .setData(data)
                    .setCrc32C(header.getCrc32C())
                    .setCreatedAtMillis(clock.millis()))
            .build();
    failed = true; // from here on the write call owns the reply and the reservation
    data = ByteString.EMPTY;
    WriteCall reply = writeCall(obs, r -> UploadChunkResponse.newBuilder().setResult(r).build());
    runtime.submitWrite(
        header.getChainId(),
        header.getEpoch(),
        op,
        new WriteCall() {
          @Override
          public void committed(WriteResult result) {
            release();
            reply.committed(result);
          }

          @Override
          public void failed(CatenaError error) {
            release();
            reply.failed(error);
          }
        });
  }
}
