package dev.catena.deploy.transport;

import com.google.protobuf.ByteString;
import dev.catena.config.ClusterConfiguration;
import dev.catena.deploy.node.ChunkScrubber;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.DownloadChunkRequest;
import dev.catena.proto.v1.DownloadChunkResponse;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ObjectServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Fetches a good copy of a chunk for the {@link ChunkScrubber} from its chain's tail (the member
 * that serves chunk reads), through the ordinary {@code DownloadChunk} call at the chain's current
 * epoch. The tail verifies its segment checksums as it reads; the scrubber verifies the bytes
 * against the marker. A node that is itself the tail of the chain has no source here.
 */
public final class PeerChunkSource implements ChunkScrubber.ChunkSource, AutoCloseable {
  private final String self;
  private final Supplier<Optional<ClusterConfiguration>> configuration;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  /** A source for node {@code self}, reading chains and addresses from {@code configuration}. */
  public PeerChunkSource(String self, Supplier<Optional<ClusterConfiguration>> configuration) {
    this.self = self;
    this.configuration = configuration;
  }

  @Override
  public Optional<ByteString> fetch(int chainId, String chunkId) {
    Optional<ClusterConfiguration> cfg = configuration.get();
    if (cfg.isEmpty() || !cfg.get().chains().containsKey(chainId)) {
      return Optional.empty();
    }
    ChainConfig chain = cfg.get().chains().get(chainId);
    List<ChainMember> active =
        chain.getMembersList().stream().filter(m -> m.getState() == MemberState.ACTIVE).toList();
    if (active.isEmpty()) {
      return Optional.empty();
    }
    String tail = active.get(active.size() - 1).getNodeId();
    NodeInfo node = cfg.get().nodes().get(tail);
    if (tail.equals(self) || node == null) {
      return Optional.empty();
    }
    Iterator<DownloadChunkResponse> parts =
        ObjectServiceGrpc.newBlockingStub(channel(node))
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .downloadChunk(
                DownloadChunkRequest.newBuilder()
                    .setChainId(chainId)
                    .setEpoch(chain.getEpoch())
                    .setChunkId(chunkId)
                    .build());
    ByteString data = ByteString.EMPTY;
    while (parts.hasNext()) {
      data = data.concat(parts.next().getData());
    }
    return Optional.of(data);
  }

  private ManagedChannel channel(NodeInfo node) {
    return channels.computeIfAbsent(
        node.getHost() + ":" + node.getPort(),
        a ->
            NettyChannelBuilder.forAddress(node.getHost(), node.getPort())
                .usePlaintext()
                .maxInboundMessageSize(16 << 20)
                .build());
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
  }
}
