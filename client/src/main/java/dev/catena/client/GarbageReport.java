package dev.catena.client;

/**
 * The outcome of one garbage-collection pass ({@link CatenaClient#collectGarbageAsync}).
 *
 * @param chunksStored chunks the chains held when the pass began
 * @param chunksReferenced distinct chunk ids referenced by committed manifests
 * @param chunksDeleted chunks deleted by this pass
 * @param bytesDeleted their total length (reclaimed on disk once segments are compacted)
 * @param bytesUnreferencedYoung unreferenced bytes spared because they are younger than the grace
 *     period (puts that may still be in flight)
 */
public record GarbageReport(
    long chunksStored,
    long chunksReferenced,
    long chunksDeleted,
    long bytesDeleted,
    long bytesUnreferencedYoung) {}
