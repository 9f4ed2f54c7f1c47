package dev.catena.client.impl;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.catena.client.ChecksumMismatchException;
import dev.catena.proto.v1.DownloadChunkRequest;
import dev.catena.proto.v1.DownloadChunkResponse;
import dev.catena.proto.v1.ObjectServiceGrpc;
import dev.catena.proto.v1.UploadChunkRequest;
import dev.catena.proto.v1.UploadChunkResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/** Adapters from gRPC's observers to {@link CompletableFuture}s. */
final class Rpc {
  /** Largest data piece of a chunk upload message. */
  static final int PIECE_BYTES = 1 << 20;

  private Rpc() {}

  /** Starts a unary call and completes with its single response. */
  static <Q, R> CompletableFuture<R> unary(BiConsumer<Q, StreamObserver<R>> call, Q request) {
    var f = new CompletableFuture<R>();
    call.accept(
        request,
        new StreamObserver<R>() {
          @Override
          public void onNext(R value) {
            f.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            f.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            if (!f.isDone()) {
              f.completeExceptionally(new IllegalStateException("call completed without a reply"));
            }
          }
        });
    return f;
  }

  /**
   * Uploads a chunk: the header message (no data), then pieces of at most {@link #PIECE_BYTES}
   * wrapping {@code data[0, length)} without copying (the caller must not modify it until the
   * future completes). Pieces are sent as gRPC's flow control allows.
   */
  static CompletableFuture<UploadChunkResponse> upload(
      ObjectServiceGrpc.ObjectServiceStub stub,
      UploadChunkRequest header,
      byte[] data,
      int length) {
    if (length <= 0) {
      throw new IllegalArgumentException("empty chunk");
    }
    var f = new CompletableFuture<UploadChunkResponse>();
    stub.uploadChunk(
        new ClientResponseObserver<UploadChunkRequest, UploadChunkResponse>() {
          private int sent = -1; // -1: header not yet sent
          private boolean done;

          @Override
          public void beforeStart(ClientCallStreamObserver<UploadChunkRequest> requests) {
            requests.setOnReadyHandler(
                () -> {
                  while (requests.isReady() && !done && !f.isDone()) {
                    if (sent < 0) {
                      requests.onNext(header);
                      sent = 0;
                    } else if (sent < length) {
                      int n = Math.min(PIECE_BYTES, length - sent);
                      ByteString piece = UnsafeByteOperations.unsafeWrap(data, sent, n);
                      requests.onNext(UploadChunkRequest.newBuilder().setData(piece).build());
                      sent += n;
                    } else {
                      requests.onCompleted();
                      done = true;
                    }
                  }
                });
          }

          @Override
          public void onNext(UploadChunkResponse value) {
            f.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            f.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            if (!f.isDone()) {
              f.completeExceptionally(new IllegalStateException("upload completed without reply"));
            }
          }
        });
    return f;
  }

  /**
   * Downloads {@code length} bytes of a chunk into a fresh array; fails with {@link
   * ChecksumMismatchException} if the node sends a different number of bytes.
   */
  static CompletableFuture<byte[]> download(
      ObjectServiceGrpc.ObjectServiceStub stub, DownloadChunkRequest request, int length) {
    var f = new CompletableFuture<byte[]>();
    byte[] out = new byte[length];
    stub.downloadChunk(
        request,
        new StreamObserver<DownloadChunkResponse>() {
          private int got;

          @Override
          public void onNext(DownloadChunkResponse piece) {
            ByteString d = piece.getData();
            if (got + d.size() > length) {
              f.completeExceptionally(
                  new ChecksumMismatchException(
                      "chunk " + request.getChunkId() + " longer than expected " + length));
              return;
            }
            d.copyTo(out, got);
            got += d.size();
          }

          @Override
          public void onError(Throwable t) {
            f.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            if (got != length) {
              f.completeExceptionally(
                  new ChecksumMismatchException(
                      "chunk "
                          + request.getChunkId()
                          + ": got "
                          + got
                          + " of "
                          + length
                          + " bytes"));
            } else {
              f.complete(out);
            }
          }
        });
    return f;
  }
}
