package dev.catena.tests.check.transport;

import dev.catena.client.impl.ErrorMapper;
import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.GetObjectRequest;
import dev.catena.proto.v1.ObjectServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Sends a {@code GetObject} straight to one node, bypassing the client's routing, to test that a
 * node which must not serve (fenced, removed, in an older epoch) refuses. One channel per instance
 * (localhost only).
 */
public final class DirectReads implements AutoCloseable {
  /** The answer of one direct read: served (with or without a value) or refused with a reason. */
  public record Outcome(boolean served, String detail) {}

  private final ManagedChannel channel;

  public DirectReads(int port) {
    this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  /**
   * Reads {@code bucket/key} on chain {@code chainId} with the given epoch. A typed {@code
   * NO_SUCH_KEY} counts as served (the node answered from its store).
   */
  public Outcome get(int chainId, long epoch, String bucket, String key) {
    var request =
        GetObjectRequest.newBuilder()
            .setChainId(chainId)
            .setEpoch(epoch)
            .setBucket(bucket)
            .setKey(key)
            .build();
    try {
      var response =
          ObjectServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .getObject(request);
      return new Outcome(true, "served manifest of " + response.getManifest().getKey());
    } catch (StatusRuntimeException e) {
      Optional<CatenaError> typed = ErrorMapper.typedError(e);
      if (typed.isPresent() && typed.get().getCode() == dev.catena.proto.v1.ErrorCode.NO_SUCH_KEY) {
        return new Outcome(true, "served NO_SUCH_KEY");
      }
      return new Outcome(
          false,
          typed.map(t -> t.getCode() + " " + t.getMessage()).orElse(e.getStatus().toString()));
    }
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }
}
