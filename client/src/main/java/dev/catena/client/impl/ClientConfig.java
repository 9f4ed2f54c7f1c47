package dev.catena.client.impl;

/**
 * Tunables of a client.
 *
 * @param inlineThreshold objects up to this size are stored inline in their manifest
 * @param chunkSize size of the chunks of larger objects
 * @param uploadParallelism chunks uploading at once per put; memory ≤ chunkSize × this
 * @param downloadPrefetch chunks fetched ahead of the one being read; memory ≤ chunkSize × (this +
 *     1)
 * @param maxObjectSize largest object accepted (its manifest must stay small)
 * @param retry the retry policy of every request
 */
public record ClientConfig(
    int inlineThreshold,
    int chunkSize,
    int uploadParallelism,
    int downloadPrefetch,
    long maxObjectSize,
    RetryPolicy retry) {
  /** 256 KiB inline, 4 MiB chunks, 4 uploads, prefetch 1, 10,000 chunks at most. */
  public static final ClientConfig DEFAULT =
      new ClientConfig(256 << 10, 4 << 20, 4, 1, 10_000L * (4 << 20), RetryPolicy.DEFAULT);

  public ClientConfig {
    if (inlineThreshold < 0
        || chunkSize < 1
        || uploadParallelism < 1
        || downloadPrefetch < 0
        || maxObjectSize < 0
        || retry == null) {
      throw new IllegalArgumentException("invalid client configuration " + this);
    }
  }
}
