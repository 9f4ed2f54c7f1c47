package dev.catena.deploy.transport;

import com.google.protobuf.ByteString;
import dev.catena.config.ClusterConfiguration;
import dev.catena.deploy.node.ChunkScrubber;
import dev.catena.proto.v1.ChainConfig;
import dev.catena.proto.v1.ChainMember;
import dev.catena.proto.v1.ChainServiceGrpc;
import dev.catena.proto.v1.MemberState;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.PeerChunkPart;
import dev.catena.proto.v1.PeerChunkRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches a good copy of a chunk for the {@link ChunkScrubber} from the other ACTIVE members of its
 * chain, through the node-to-node {@code ChainService.ReadChunk} call at the chain's current epoch.
 * Members are asked nearest the tail first, skipping this node: the tail first for a head or a
 * middle (it holds every committed chunk), the predecessor first for a tail (so a tail repairs its
 * own copy), and on a refusal or an unreachable member the next one. A member serves only bytes
 * that pass its segment checksums and its marker; the scrubber verifies them against its own marker
 * again before storing them.
 */
public final class PeerChunkSource implements ChunkScrubber.ChunkSource, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PeerChunkSource.class);

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
    var request =
        PeerChunkRequest.newBuilder()
            .setChainId(chainId)
            .setEpoch(chain.getEpoch())
            .setChunkId(chunkId)
            .build();
    for (String member : sources(chain, self)) {
      NodeInfo node = cfg.get().nodes().get(member);
      if (node == null) {
        continue;
      }
      try {
        return Optional.of(read(node, request));
      } catch (StatusRuntimeException e) {
        LOG.debug("{} did not serve chunk {}: {}", member, chunkId, e.getStatus());
      }
    }
    return Optional.empty();
  }

  /** The members to ask, in order: ACTIVE members other than {@code self}, tail end first. */
  static List<String> sources(ChainConfig chain, String self) {
    List<String> active =
        new ArrayList<>(
            chain.getMembersList().stream()
                .filter(m -> m.getState() == MemberState.ACTIVE)
                .map(ChainMember::getNodeId)
                .filter(id -> !id.equals(self))
                .toList());
    Collections.reverse(active);
    return active;
  }

  private ByteString read(NodeInfo node, PeerChunkRequest request) {
    Iterator<PeerChunkPart> parts =
        ChainServiceGrpc.newBlockingStub(channel(node))
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .readChunk(request);
    ByteString data = ByteString.EMPTY;
    while (parts.hasNext()) {
      data = data.concat(parts.next().getData());
    }
    return data;
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
