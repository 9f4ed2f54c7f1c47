package dev.catena.client.impl;

import dev.catena.client.BucketExistsException;
import dev.catena.client.BucketNotEmptyException;
import dev.catena.client.CatenaException;
import dev.catena.client.ChecksumMismatchException;
import dev.catena.client.ChunkExistsException;
import dev.catena.client.InvalidRequestException;
import dev.catena.client.NoSuchBucketException;
import dev.catena.client.NoSuchKeyException;
import dev.catena.client.ObjectTooLargeException;
import dev.catena.client.StaleFencingTokenException;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ErrorCode;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Classifies a failed attempt (pure): either <b>retryable</b> — the cluster may answer differently
 * after a view refresh or a pause — or <b>final</b>, mapped to a typed {@link CatenaException}.
 *
 * <p>Typed errors arrive as a {@link CatenaError} in the gRPC trailer {@code catena-error-bin}
 * (DESIGN §8). Retryable: {@code WRONG_EPOCH}, {@code NOT_HEAD}, {@code NOT_TAIL}, {@code FENCED},
 * {@code OVERLOADED}, {@code UNKNOWN_CHAIN}, and untyped {@code UNAVAILABLE} or {@code
 * DEADLINE_EXCEEDED}. Final: {@code NO_SUCH_KEY} → {@link NoSuchKeyException}, {@code
 * NO_SUCH_BUCKET} → {@link NoSuchBucketException}, {@code BUCKET_EXISTS}, {@code BUCKET_NOT_EMPTY},
 * {@code CHECKSUM_MISMATCH} → {@link ChecksumMismatchException}, {@code TOO_LARGE} → {@link
 * ObjectTooLargeException}, {@code INVALID_ARGUMENT} → {@link InvalidRequestException}, {@code
 * CHUNK_EXISTS} → {@link ChunkExistsException}; anything else → {@link CatenaException}.
 */
public final class ErrorMapper {
  /** The trailer carrying the typed error (same definition as the server's). */
  public static final Metadata.Key<CatenaError> ERROR_KEY =
      Metadata.Key.of(
          "catena-error" + Metadata.BINARY_HEADER_SUFFIX,
          ProtoUtils.metadataMarshaller(CatenaError.getDefaultInstance()));

  private ErrorMapper() {}

  /** The verdict on one failure. */
  public sealed interface Verdict permits Retry, Final {}

  /**
   * Try again after a refresh or a pause.
   *
   * @param reason short description for the final error message
   * @param code the typed code, or {@code ERROR_CODE_UNSPECIFIED} for transport failures
   * @param currentEpoch for {@code WRONG_EPOCH}: the epoch the node has (0 if unknown)
   */
  public record Retry(String reason, ErrorCode code, long currentEpoch, int chainId)
      implements Verdict {
    /** A retry without a typed error (transport failure, no route). */
    public Retry(String reason, ErrorCode code, long currentEpoch) {
      this(reason, code, currentEpoch, -1);
    }
  }

  /** Give up with this exception. */
  public record Final(CatenaException exception) implements Verdict {}

  /** Unwraps completion wrappers and classifies. */
  public static Verdict classify(Throwable t) {
    Throwable c = unwrap(t);
    if (c instanceof RetryableFailure r) {
      return new Retry(r.getMessage(), ErrorCode.ERROR_CODE_UNSPECIFIED, 0);
    }
    if (c instanceof CatenaException e) {
      return new Final(e);
    }
    Status status = Status.fromThrowable(c);
    Optional<CatenaError> typed = typedError(c);
    if (typed.isPresent()) {
      return classify(typed.get(), c);
    }
    return switch (status.getCode()) {
      case UNAVAILABLE, DEADLINE_EXCEEDED ->
          new Retry(
              status.getCode() + " " + status.getDescription(),
              ErrorCode.ERROR_CODE_UNSPECIFIED,
              0);
      case CANCELLED -> new Final(new CatenaException("request cancelled", c));
      default -> new Final(new CatenaException("request failed: " + status, c));
    };
  }

  /** Classifies a typed error. */
  public static Verdict classify(CatenaError e, Throwable cause) {
    String msg = e.getCode() + ": " + e.getMessage();
    return switch (e.getCode()) {
      case WRONG_EPOCH, NOT_HEAD, NOT_TAIL, FENCED, OVERLOADED, UNKNOWN_CHAIN ->
          new Retry(msg, e.getCode(), e.getCurrentEpoch(), e.getChainId());
      case NO_SUCH_KEY -> new Final(new NoSuchKeyException(msg, cause));
      case NO_SUCH_BUCKET -> new Final(new NoSuchBucketException(msg, cause));
      case BUCKET_EXISTS -> new Final(new BucketExistsException(msg, cause));
      case BUCKET_NOT_EMPTY -> new Final(new BucketNotEmptyException(msg, cause));
      case CHECKSUM_MISMATCH -> new Final(new ChecksumMismatchException(msg, cause));
      case TOO_LARGE -> new Final(new ObjectTooLargeException(msg, cause));
      case INVALID_ARGUMENT -> new Final(new InvalidRequestException(msg, cause));
      case CHUNK_EXISTS -> new Final(new ChunkExistsException(msg, cause));
      case STALE_TOKEN -> new Final(new StaleFencingTokenException(msg, cause));
      case ERROR_CODE_UNSPECIFIED, UNRECOGNIZED ->
          new Final(new CatenaException("server error " + msg, cause));
    };
  }

  /** The typed error carried by a gRPC failure, if any. */
  public static Optional<CatenaError> typedError(Throwable t) {
    Metadata trailers = Status.trailersFromThrowable(t);
    return trailers == null ? Optional.empty() : Optional.ofNullable(trailers.get(ERROR_KEY));
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** A local condition worth retrying, such as "no route to this chain in the current view". */
  public static final class RetryableFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RetryableFailure(String message) {
      super(message, null, false, false);
    }
  }
}
