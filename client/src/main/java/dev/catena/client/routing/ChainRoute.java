package dev.catena.client.routing;

import dev.catena.proto.v1.NodeInfo;
import java.util.Optional;

/**
 * Where to send requests for one chain in one configuration: writes to the head (first ACTIVE
 * member), reads to the tail (last ACTIVE member), both tagged with {@code epoch}. A role is empty
 * when the chain has no ACTIVE member or the member's node is not registered.
 *
 * @param chainId the chain
 * @param epoch the configuration's epoch; requests carry it (DESIGN §4 invariant 6)
 * @param head the node accepting writes
 * @param tail the node serving committed reads
 */
public record ChainRoute(
    int chainId, long epoch, Optional<NodeInfo> head, Optional<NodeInfo> tail) {}
