package dev.catena.chain.storage;

/**
 * What one {@link ChunkStore#compact()} run did.
 *
 * @param segmentsCompacted segment files whose live records were moved and that were retired
 * @param bytesReclaimed size of the retired segment files minus the bytes copied out of them
 * @param recordsRelocated live chunk records copied into the active segment
 * @param bytesRelocated bytes of those records
 * @param tombstonesCarried delete records copied forward because an older segment still holds a put
 *     of that chunk
 * @param segmentsSkipped candidate segments left in place because a live record failed its checksum
 *     while being copied (a scrubber must repair that chunk first)
 */
public record CompactionStats(
    int segmentsCompacted,
    long bytesReclaimed,
    int recordsRelocated,
    long bytesRelocated,
    int tombstonesCarried,
    int segmentsSkipped) {}
