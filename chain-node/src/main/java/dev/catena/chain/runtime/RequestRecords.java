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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exactly-once records of one chain on one replica (DESIGN §4 invariant 8), as stored: one
 * record per request, {@code r/<clientId>/<request seq as 16 hex digits>} → a {@link DedupWindow}
 * holding that request's result and the client's {@code acked_below} when it was written. A write
 * adds its own record and deletes the records its {@code acked_below} releases, so its cost does
 * not grow with the number of requests a client has in flight (a whole window per client used to be
 * rewritten by every write).
 *
 * <p>Because every request has its own key, the records a join's snapshot brings and those that
 * forwarded writes add never overwrite each other: the union is simply what the store holds, and a
 * resync rolls back the record of an uncommitted write with the write.
 *
 * <p>This object mirrors the records in memory, by client, so that a write knows what its mark
 * releases. It is not thread-safe; its owner uses it from one thread.
 */
final class RequestRecords {
  /** Key prefix of the per-request records. */
  static final String PREFIX = "r/";

  /** Key prefix of whole-window records ({@code d/<clientId>}) written by earlier versions. */
  static final String WINDOW_PREFIX = "d/";

  private static final class Client {
    long ackedBelow;
    final TreeMap<Long, WriteResult> results = new TreeMap<>();
    // Stored keys found below the mark when loaded: deleted by the client's next write.
    final List<byte[]> stale = new ArrayList<>();
  }

  /** A write's changes to the records: the one to put and the keys to delete. */
  record Change(byte[] key, byte[] value, List<byte[]> released) {}

  private final Map<String, Client> clients = new HashMap<>();

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

  /**
   * Records that {@code op} was applied with {@code result}: its record, and the keys of records
   * below the client's new mark (the client has seen their replies and never retries them).
   */
  Change record(WriteOp op, WriteResult result) {
    Client c = clients.computeIfAbsent(op.getClientId(), k -> new Client());
    c.results.put(op.getRequestSeq(), result);
    var released = new ArrayList<byte[]>(c.stale);
    c.stale.clear();
    if (op.getAckedBelow() > c.ackedBelow) {
      c.ackedBelow = op.getAckedBelow();
      var below = c.results.headMap(c.ackedBelow, false);
      below.keySet().forEach(s -> released.add(key(op.getClientId(), s)));
      below.clear();
    }
    DedupWindow stored =
        DedupWindow.newBuilder()
            .setAckedBelow(op.getAckedBelow())
            .addItems(DedupItem.newBuilder().setRequestSeq(op.getRequestSeq()).setResult(result))
            .build();
    return new Change(key(op.getClientId(), op.getRequestSeq()), stored.toByteArray(), released);
  }

  /**
   * Adds stored records (a scan of {@code r/} or legacy {@code d/} keys) to the ones in memory; a
   * request already in memory keeps its result (one request has one result).
   *
   * @throws CorruptRecordException if a record does not decode
   */
  void load(byte[] key, byte[] value) {
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
    Client c = clients.computeIfAbsent(client, x -> new Client());
    for (DedupItem i : w.getItemsList()) {
      c.results.putIfAbsent(i.getRequestSeq(), i.getResult());
    }
    c.ackedBelow = Math.max(c.ackedBelow, w.getAckedBelow());
    var below = c.results.headMap(c.ackedBelow, false);
    if (k.startsWith(PREFIX)) {
      below.keySet().forEach(s -> c.stale.add(key(client, s)));
    }
    below.clear();
  }

  /** Every record held, as the protocol loads them. */
  List<RecoveredState.DedupEntry> entries() {
    var out = new ArrayList<RecoveredState.DedupEntry>();
    clients.forEach(
        (client, c) ->
            c.results.forEach(
                (seq, r) -> out.add(new RecoveredState.DedupEntry(client, seq, r, c.ackedBelow))));
    return out;
  }
}
