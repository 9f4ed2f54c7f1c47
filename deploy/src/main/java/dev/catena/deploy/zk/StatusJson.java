package dev.catena.deploy.zk;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of a {@link ClusterAdmin.Status} (pure, Jackson 3): what {@code catena cluster
 * status --json} prints and what the manager's dashboard endpoint extends. Field names and order
 * are a published format (see the deploy README).
 */
public final class StatusJson {
  /** The mapper every caller uses to write the trees built here. */
  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  private StatusJson() {}

  /** The whole report as a tree (callers may add fields before writing it). */
  public static ObjectNode tree(ClusterAdmin.Status s) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("cluster", s.cluster()).put("shardMapVersion", s.shardMapVersion());
    ArrayNode nodes = root.putArray("nodes");
    for (var n : s.nodes()) {
      nodes
          .addObject()
          .put("id", n.nodeId())
          .put("live", n.live())
          .put("address", n.address())
          .put("heads", n.heads())
          .put("tails", n.tails())
          .put("chunkBytes", n.storage().getChunkBytes())
          .put("reclaimableBytes", n.storage().getReclaimableBytes())
          .put("reclaimedBytes", n.storage().getReclaimedBytes())
          .put("scrubChunksScanned", n.storage().getScrubChunksScanned())
          .put("scrubChunksBad", n.storage().getScrubChunksBad())
          .put("scrubChunksRepaired", n.storage().getScrubChunksRepaired())
          .put("scrubRecordsScanned", n.storage().getScrubRecordsScanned())
          .put("scrubRecordsBad", n.storage().getScrubRecordsBad());
    }
    ArrayNode chains = root.putArray("chains");
    for (var c : s.chains()) {
      ObjectNode chain = chains.addObject().put("chain", c.chainId()).put("epoch", c.epoch());
      c.members().forEach(chain.putArray("members")::add);
      c.syncing().forEach(chain.putArray("syncing")::add);
      ArrayNode sync = chain.putArray("sync");
      c.sync().forEach(p -> sync.add(sync(p)));
    }
    return root;
  }

  /** One join's progress; percent (one decimal) is null while the totals are unknown. */
  public static ObjectNode sync(ClusterAdmin.SyncProgress p) {
    var f = p.fraction();
    ObjectNode o =
        MAPPER
            .createObjectNode()
            .put("node", p.nodeId())
            .put("epoch", p.epoch())
            .put("keys", p.keys())
            .put("bytes", p.bytes())
            .put("plannedKnown", p.plannedKnown())
            .put("plannedKeys", p.plannedKeys())
            .put("plannedBytes", p.plannedBytes())
            .put("sourceKeys", p.sourceKeys())
            .put("sourceBytes", p.sourceBytes());
    if (f.isPresent()) {
      o.put("percent", Math.round(f.getAsDouble() * 1000) / 10.0);
    } else {
      o.putNull("percent");
    }
    return o.put("diff", p.diff())
        .put("installed", p.installed())
        .put("lagSeqs", p.lagSeqs())
        .put("caughtUp", p.caughtUp());
  }
}
