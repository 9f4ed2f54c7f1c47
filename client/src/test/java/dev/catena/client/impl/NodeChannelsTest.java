package dev.catena.client.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.catena.proto.v1.NodeInfo;
import io.grpc.ConnectivityState;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeChannelsTest {
  @Test
  void connectOpensAConnectionBeforeAnyRequest() throws Exception {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).build().start();
    try (var channels = new NodeChannels()) {
      NodeInfo node =
          NodeInfo.newBuilder()
              .setNodeId("n1")
              .setHost("127.0.0.1")
              .setPort(server.getPort())
              .build();
      assertThat(channels.state(node)).isNull();

      channels.connect(List.of(node));

      // Without connect() a new channel stays IDLE until its first call.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> channels.state(node) == ConnectivityState.READY);
    } finally {
      server.shutdownNow();
    }
  }
}
