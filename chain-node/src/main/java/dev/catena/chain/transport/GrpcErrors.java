package dev.catena.chain.transport;

import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ErrorCode;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import java.util.Optional;

/**
 * Maps Catena's typed errors onto gRPC statuses and back. The {@link CatenaError} travels in the
 * trailer {@code catena-error-bin}; the status code is chosen so that generic gRPC clients still
 * behave sensibly (UNAVAILABLE for retryable conditions, NOT_FOUND, INVALID_ARGUMENT, …).
 */
public final class GrpcErrors {
  /** Trailer carrying the typed error. */
  public static final Metadata.Key<CatenaError> ERROR_KEY =
      Metadata.Key.of(
          "catena-error" + Metadata.BINARY_HEADER_SUFFIX,
          ProtoUtils.metadataMarshaller(CatenaError.getDefaultInstance()));

  private GrpcErrors() {}

  /** The gRPC status for a typed error. */
  public static StatusRuntimeException toStatus(CatenaError e) {
    Status s =
        switch (e.getCode()) {
          case WRONG_EPOCH, NOT_HEAD, NOT_TAIL, UNKNOWN_CHAIN -> Status.FAILED_PRECONDITION;
          case FENCED, OVERLOADED -> Status.UNAVAILABLE;
          case NO_SUCH_KEY, NO_SUCH_BUCKET -> Status.NOT_FOUND;
          case BUCKET_EXISTS, CHUNK_EXISTS -> Status.ALREADY_EXISTS;
          case BUCKET_NOT_EMPTY, STALE_TOKEN -> Status.FAILED_PRECONDITION;
          case CHECKSUM_MISMATCH -> Status.DATA_LOSS;
          case TOO_LARGE -> Status.OUT_OF_RANGE;
          case INVALID_ARGUMENT -> Status.INVALID_ARGUMENT;
          case ERROR_CODE_UNSPECIFIED, UNRECOGNIZED -> Status.INTERNAL;
        };
    Metadata trailers = new Metadata();
    trailers.put(ERROR_KEY, e);
    return s.withDescription(e.getCode() + ": " + e.getMessage()).asRuntimeException(trailers);
  }

  /** A typed error with a code and message. */
  public static StatusRuntimeException toStatus(ErrorCode code, String message) {
    return toStatus(CatenaError.newBuilder().setCode(code).setMessage(message).build());
  }

  /** The typed error inside a gRPC failure, if the peer sent one. */
  public static Optional<CatenaError> fromThrowable(Throwable t) {
    Metadata trailers = Status.trailersFromThrowable(t);
    return trailers == null ? Optional.empty() : Optional.ofNullable(trailers.get(ERROR_KEY));
  }
}
