package dev.catena.client.impl;

import dev.catena.client.ObjectMetadata;
import dev.catena.client.ObjectSummary;
import dev.catena.client.routing.ChainRoute;
import dev.catena.client.routing.ClusterSnapshot;
import dev.catena.proto.v1.NodeInfo;
import dev.catena.proto.v1.ObjectManifest;

/**
 * Routing rules (pure): a key's chain is the shard map's chain of {@code KeyHasher.shardOf}; writes
 * go to the chain's head, reads to its tail. A missing shard map, chain or role is a {@link
 * ErrorMapper.RetryableFailure}: the view may be incomplete or mid-reconfiguration. Also converts
 * manifests to the public metadata types.
 */
final class Routes {
  private Routes() {}

  static int chainOf(ClusterSnapshot view, String bucket, String key) {
    return view.chainOf(bucket, key)
        .orElseThrow(() -> new ErrorMapper.RetryableFailure("no shard map in the cluster view"));
  }

  static ChainRoute route(ClusterSnapshot view, int chainId) {
    return view.route(chainId)
        .orElseThrow(
            () ->
                new ErrorMapper.RetryableFailure("chain " + chainId + " not in the cluster view"));
  }

  static NodeInfo head(ChainRoute r) {
    return r.head()
        .orElseThrow(
            () -> new ErrorMapper.RetryableFailure("chain " + r.chainId() + " has no live head"));
  }

  static NodeInfo tail(ChainRoute r) {
    return r.tail()
        .orElseThrow(
            () -> new ErrorMapper.RetryableFailure("chain " + r.chainId() + " has no live tail"));
  }

  static ObjectMetadata metadata(ObjectManifest m) {
    return new ObjectMetadata(
        m.getBucket(),
        m.getKey(),
        m.getVersionId(),
        m.getSize(),
        m.getEtag(),
        m.getContentType(),
        m.getUserMetadataMap(),
        m.getCreatedAtMillis(),
        m.getChunksCount());
  }

  static ObjectSummary summary(ObjectManifest m) {
    return new ObjectSummary(m.getKey(), m.getSize(), m.getEtag(), m.getCreatedAtMillis());
  }
}
