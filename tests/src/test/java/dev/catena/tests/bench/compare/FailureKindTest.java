package dev.catena.tests.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.client.CatenaUnavailableException;
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
  void aLeadingStatusCodeOrElseTheExceptionClassNamesTheKind() {
    // As a gRPC StatusRuntimeException's message reads.
    assertThat(
            FailureKind.of(new RuntimeException("DEADLINE_EXCEEDED: deadline exceeded after 9s")))
        .isEqualTo("DEADLINE_EXCEEDED");
    assertThat(FailureKind.of(new RuntimeException("UNAVAILABLE"))).isEqualTo("UNAVAILABLE");
    assertThat(FailureKind.of(new CompletionException(new IllegalStateException("x"))))
        .isEqualTo("IllegalStateException");
  }
}
