package dev.catena.chain.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ChainServiceGrpc;
import dev.catena.proto.v1.Forward;
import dev.catena.proto.v1.Hello;
import dev.catena.proto.v1.PutChunk;
import dev.catena.proto.v1.WriteOp;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Forwards respect gRPC flow control, over real gRPC on localhost: a successor that does not read
 * makes the predecessor hold its messages in the {@link ForwardLink} (counted), and once it reads
 * again every message arrives, in order.
 */
@Timeout(30)
class ForwardLinkTest {
  private static final int MESSAGES = 64;
  private static final int PAYLOAD = 32 * 1024;

  private final CompletableFuture<ForwardLink> link = new CompletableFuture<>();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(
                new ChainServiceGrpc.ChainServiceImplBase() {
                  @Override
                  public StreamObserver<ChainMessage> replicate(StreamObserver<ChainMessage> out) {
                    var l = new ForwardLink((ServerCallStreamObserver<ChainMessage>) out);
                    return new StreamObserver<>() {
                      @Override
                      public void onNext(ChainMessage m) {
                        link.complete(l);
                      }

                      @Override
                      public void onError(Throwable t) {}

                      @Override
                      public void onCompleted() {
                        l.close();
                      }
                    };
                  }
                })
            .build()
            .start();
    channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
            .usePlaintext()
            .flowControlWindow(64 * 1024)
            .build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void aSuccessorThatDoesNotReadMakesThePredecessorHoldItsForwardsThenGetsAllInOrder()
      throws Exception {
    List<Long> received = new CopyOnWriteArrayList<>();
    var successor = new CompletableFuture<ClientCallStreamObserver<ChainMessage>>();
    var requests = openSuccessor(received, successor);
    ForwardLink l = link.get(10, TimeUnit.SECONDS);

    for (long seq = 1; seq <= MESSAGES; seq++) {
      l.send(forward(seq));
    }
    // 2 MiB against a 64 KiB window: most of it waits in the link, none is lost or reordered.
    await().atMost(Duration.ofSeconds(10)).until(() -> l.heldMessages() > MESSAGES / 2);
    assertThat(l.heldBytes()).isGreaterThan((long) PAYLOAD * MESSAGES / 2);
    assertThat(received).isEmpty();

    successor.get().request(Integer.MAX_VALUE);
    await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == MESSAGES);
    assertThat(received).isSorted().doesNotHaveDuplicates();
    assertThat(l.heldMessages()).isZero();
    assertThat(l.heldBytes()).isZero();
    requests.onCompleted();
  }

  @Test
  void closingDropsWhatIsHeldAndSendsNothingMore() throws Exception {
    openSuccessor(new CopyOnWriteArrayList<>(), new CompletableFuture<>());
    ForwardLink l = link.get(10, TimeUnit.SECONDS);
    for (long seq = 1; seq <= MESSAGES; seq++) {
      l.send(forward(seq));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> l.heldMessages() > 0);

    l.close();
    l.send(forward(MESSAGES + 1));
    assertThat(l.heldMessages()).isZero();
    assertThat(l.heldBytes()).isZero();
  }

  /**
   * Opens a successor's {@code Replicate} stream that reads nothing until the test requests
   * messages on the call it completes {@code call} with; says Hello.
   */
  private StreamObserver<ChainMessage> openSuccessor(
      List<Long> received, CompletableFuture<ClientCallStreamObserver<ChainMessage>> call) {
    var requests =
        ChainServiceGrpc.newStub(channel)
            .replicate(
                new ClientResponseObserver<ChainMessage, ChainMessage>() {
                  @Override
                  public void beforeStart(ClientCallStreamObserver<ChainMessage> c) {
                    c.disableAutoRequestWithInitial(0); // the successor reads nothing yet
                    call.complete(c);
                  }

                  @Override
                  public void onNext(ChainMessage m) {
                    received.add(m.getForward().getSeq());
                  }

                  @Override
                  public void onError(Throwable t) {}

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ChainMessage.newBuilder().setHello(Hello.newBuilder().setNodeId("n2")).build());
    return requests;
  }

  private static ChainMessage forward(long seq) {
    byte[] bytes = new byte[PAYLOAD];
    return ChainMessage.newBuilder()
        .setForward(
            Forward.newBuilder()
                .setSeq(seq)
                .setOp(
                    WriteOp.newBuilder()
                        .setClientId("c")
                        .setRequestSeq(seq)
                        .setPutChunk(
                            PutChunk.newBuilder()
                                .setChunkId("k" + seq)
                                .setData(ByteString.copyFrom(bytes)))))
        .build();
  }
}
