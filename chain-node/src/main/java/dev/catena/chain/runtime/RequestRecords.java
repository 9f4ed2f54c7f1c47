package dev.catena.chain.runtime;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.catena.chain.protocol.RecoveredState;
import dev.catena.chain.storage.CorruptRecordException;
import dev.catena.proto.v1.DedupItem;
import dev.catena.proto.v1.DedupWindow;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How exactly-once records (DESIGN §4 invariant 8) are stored: one record per request, {@code
 * r/<clientId>/<request seq as 16 hex digits>} → a {@link DedupWindow} holding that request's
 * result and the client's {@code acked_below} when it was written. A write adds its own record and
 * deletes those the replica's exactly-once table releases ({@code Effect.Persist#released}), so its
 * cost does not grow with the number of requests a client has in flight (a whole window per client
 * used to be rewritten by every write), and storage keeps no second copy of the table.
 *
 * <p>Because every request has its own key, the records a join's snapshot brings and those that
 * forwarded writes add never overwrite each other: the union is simply what the store holds, and a
 * resync rolls back the record of an uncommitted write with the write. Stateless.
 */
final class RequestRecords {
  /** Key prefix of the per-request records. */
  static final String PREFIX = "r/";

  /** Key prefix of whole-window records ({@code d/<clientId>}) written by earlier versions. */
  static final String WINDOW_PREFIX = "d/";

  private RequestRecords() {}

  /** The key of the record of ({@code clientId}, {@code requestSeq}). */
  static byte[] key(String clientId, long requestSeq) {
    return (PREFIX + clientId + "/" + hex16(requestSeq)).getBytes(StandardCharsets.UTF_8);
  }

  /** {@code v} as 16 lower-case hex digits (key order is numeric order for non-negative values). */
  static String hex16(long v) {
    char[] out = new char[16];
    for (int i = 15; i >= 0; i--) {
      out[i] = Character.forDigit((int) (v & 0xF), 16);
      v >>>= 4;
    }
    return new String(out);
  }

  /** The stored value of {@code op}'s record: its result and the client's mark. */
  static byte[] value(WriteOp op, WriteResult result) {
    return DedupWindow.newBuilder()
        .setAckedBelow(op.getAckedBelow())
        .addItems(DedupItem.newBuilder().setRequestSeq(op.getRequestSeq()).setResult(result))
        .build()
        .toByteArray();
  }

  /**
   * The entries of one stored record ({@code r/} key, or a legacy {@code d/} window), as the
   * protocol loads them.
   *
   * @throws CorruptRecordException if the record does not decode
   */
  static List<RecoveredState.DedupEntry> decode(byte[] key, byte[] value) {
    String k = new String(key, StandardCharsets.UTF_8);
    String client =
        k.startsWith(PREFIX)
            ? k.substring(PREFIX.length(), k.lastIndexOf('/'))
            : k.substring(WINDOW_PREFIX.length());
    DedupWindow w;
    try {
      w = DedupWindow.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new CorruptRecordException("bad exactly-once record " + k + ": " + e.getMessage());
    }
    var out = new ArrayList<RecoveredState.DedupEntry>();
    for (DedupItem i : w.getItemsList()) {
      out.add(
          new RecoveredState.DedupEntry(
              client, i.getRequestSeq(), i.getResult(), w.getAckedBelow()));
    }
    return out;
  }
}
