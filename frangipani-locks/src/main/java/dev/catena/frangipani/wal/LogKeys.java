package dev.catena.frangipani.wal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a clerk's log lives in the store: record {@code seq} under {@code wal/<clerk>/<seq, 20
 * digits>} (so keys sort by seq), and the checkpoint (every record up to it is written back and may
 * be gone) under {@code wal/<clerk>/checkpoint}.
 */
public final class LogKeys {
  private LogKeys() {}

  /** The prefix of every key of {@code clerk}'s log. */
  public static String prefix(String clerk) {
    return "wal/" + clerk + "/";
  }

  /** The key of record {@code seq}. */
  public static String record(String clerk, long seq) {
    return prefix(clerk) + String.format("%020d", seq);
  }

  /** The key of the checkpoint. */
  public static String checkpoint(String clerk) {
    return prefix(clerk) + "checkpoint";
  }

  /** The seqs of the record keys among {@code keys} of {@code clerk}'s log, in order. */
  public static List<Long> seqs(String clerk, List<String> keys) {
    List<Long> out = new ArrayList<>();
    String prefix = prefix(clerk);
    for (String k : keys) {
      String tail = k.startsWith(prefix) ? k.substring(prefix.length()) : "";
      if (tail.length() == 20 && tail.chars().allMatch(Character::isDigit)) {
        out.add(Long.parseLong(tail));
      }
    }
    out.sort(null);
    return out;
  }

  static byte[] encodeCheckpoint(long seq) {
    return ByteBuffer.allocate(8).putLong(seq).array();
  }

  static long decodeCheckpoint(Optional<byte[]> data) {
    return data.filter(d -> d.length == 8).map(d -> ByteBuffer.wrap(d).getLong()).orElse(0L);
  }
}
