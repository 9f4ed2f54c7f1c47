package dev.catena.client.impl;

import dev.catena.proto.v1.ChunkInfo;
import java.util.List;
import java.util.Set;

/**
 * Which stored chunks lazy garbage collection may delete (DESIGN §2, GFS §4.4), as a pure rule: a
 * chunk no committed manifest references, uploaded at least {@code grace} before the scan of the
 * chunks began.
 *
 * <p>Why this is safe against puts in flight: a put uploads its chunks, then writes its manifest
 * (the commit point). The collector lists the chunks first, then the references; a chunk it deletes
 * was uploaded more than {@code grace} before the chunk scan and was referenced by no manifest when
 * the reference scan (later) read its chain. Its put, if it ever commits, therefore takes longer
 * than {@code grace} from chunk upload to manifest — which a client never does: it abandons a put
 * that has run for {@link #MAX_PUT_MILLIS} before it writes the manifest. Chunks stamped before
 * uploads carried a time (0) count as old.
 */
public final class GarbagePlan {
  /** A client abandons a put whose manifest would be written later than this after it began. */
  public static final long MAX_PUT_MILLIS = 30 * 60 * 1000L;

  private GarbagePlan() {}

  /**
   * The chunks to delete.
   *
   * @param stored chunks a chain stores, listed from {@code scanStartMillis} on
   * @param referenced every chunk id a committed manifest references, listed after {@code stored}
   * @param scanStartMillis wall-clock time the chunk listing began
   * @param graceMillis minimum age at the start of the scan
   */
  public static List<ChunkInfo> deletable(
      List<ChunkInfo> stored, Set<String> referenced, long scanStartMillis, long graceMillis) {
    return stored.stream()
        .filter(c -> !referenced.contains(c.getChunkId()))
        .filter(c -> c.getCreatedAtMillis() <= scanStartMillis - graceMillis)
        .toList();
  }
}
