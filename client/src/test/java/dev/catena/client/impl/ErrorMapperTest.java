package dev.catena.client.impl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.client.BucketExistsException;
import dev.catena.client.BucketNotEmptyException;
import dev.catena.client.CatenaException;
import dev.catena.client.ChecksumMismatchException;
import dev.catena.client.InvalidRequestException;
import dev.catena.client.NoSuchBucketException;
import dev.catena.client.NoSuchKeyException;
import dev.catena.client.ObjectTooLargeException;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.ErrorCode;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** DESIGN §8: typed gRPC errors map to typed client exceptions or to retries. */
class ErrorMapperTest {
  /** As the server sends it: a status plus the CatenaError trailer. */
  private static Throwable typed(Status status, ErrorCode code, long epoch) {
    Metadata t = new Metadata();
    t.put(
        ErrorMapper.ERROR_KEY,
        CatenaError.newBuilder().setCode(code).setMessage("m").setCurrentEpoch(epoch).build());
    return new CompletionException(status.withDescription("x").asRuntimeException(t));
  }

  @ParameterizedTest
  @EnumSource(
      value = ErrorCode.class,
      names = {"WRONG_EPOCH", "NOT_HEAD", "NOT_TAIL", "FENCED", "OVERLOADED", "UNKNOWN_CHAIN"})
  void reconfigurationAndOverloadAreRetried(ErrorCode code) {
    var v = ErrorMapper.classify(typed(Status.FAILED_PRECONDITION, code, 7));
    assertThat(v).isInstanceOf(ErrorMapper.Retry.class);
    assertThat(((ErrorMapper.Retry) v).code()).isEqualTo(code);
    assertThat(((ErrorMapper.Retry) v).currentEpoch()).isEqualTo(7);
  }

  @Test
  void finalCodesMapToTypedExceptions() {
    assertFinal(ErrorCode.NO_SUCH_KEY, NoSuchKeyException.class);
    assertFinal(ErrorCode.NO_SUCH_BUCKET, NoSuchBucketException.class);
    assertFinal(ErrorCode.BUCKET_EXISTS, BucketExistsException.class);
    assertFinal(ErrorCode.BUCKET_NOT_EMPTY, BucketNotEmptyException.class);
    assertFinal(ErrorCode.CHECKSUM_MISMATCH, ChecksumMismatchException.class);
    assertFinal(ErrorCode.TOO_LARGE, ObjectTooLargeException.class);
    assertFinal(ErrorCode.INVALID_ARGUMENT, InvalidRequestException.class);
    assertFinal(ErrorCode.ERROR_CODE_UNSPECIFIED, CatenaException.class);
  }

  private static void assertFinal(ErrorCode code, Class<? extends CatenaException> type) {
    var v = ErrorMapper.classify(typed(Status.NOT_FOUND, code, 0));
    assertThat(v).isInstanceOf(ErrorMapper.Final.class);
    assertThat(((ErrorMapper.Final) v).exception()).isExactlyInstanceOf(type);
  }

  @Test
  void untypedTransportFailures() {
    assertThat(ErrorMapper.classify(Status.UNAVAILABLE.asRuntimeException()))
        .isInstanceOf(ErrorMapper.Retry.class);
    assertThat(ErrorMapper.classify(Status.DEADLINE_EXCEEDED.asException()))
        .isInstanceOf(ErrorMapper.Retry.class);
    assertThat(ErrorMapper.classify(Status.INTERNAL.asRuntimeException()))
        .isInstanceOf(ErrorMapper.Final.class);
    assertThat(ErrorMapper.classify(new ErrorMapper.RetryableFailure("no route")))
        .isInstanceOf(ErrorMapper.Retry.class);
    var local = new NoSuchKeyException("k");
    assertThat(
            ((ErrorMapper.Final) ErrorMapper.classify(new CompletionException(local))).exception())
        .isSameAs(local);
  }
}
