package dev.catena.tests.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.client.CatenaUnavailableException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FailureKindTest {
  @Test
  void theClientsLastErrorNamesTheKind() {
    var e =
        new CompletionException(
            new CatenaUnavailableException(
                "put b/k: gave up after 9 attempts in 30012 ms; last error: OVERLOADED: node n1"
                    + " is overloaded"));
    assertThat(FailureKind.of(e)).isEqualTo("OVERLOADED");
    assertThat(
            FailureKind.of(
                new CatenaUnavailableException(
                    "gave up after 3 attempts; last error: DEADLINE_EXCEEDED deadline exceeded")))
        .isEqualTo("DEADLINE_EXCEEDED");
  }

  @Test
  void aGrpcStatusOrElseTheExceptionClassNamesTheKind() {
    assertThat(FailureKind.of(Status.DEADLINE_EXCEEDED.asRuntimeException()))
        .isEqualTo("DEADLINE_EXCEEDED");
    assertThat(FailureKind.of(new CompletionException(new IllegalStateException("x"))))
        .isEqualTo("IllegalStateException");
  }
}
