package dev.catena.frangipani.wal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * One write-ahead log record: its sequence number in the clerk's log and the metadata updates of
 * one operation, applied all or none. Encoding: magic {@code FWL1}, body length (4), CRC32C of the
 * body (4), body = seq (8), update count (4), then per update: key, scope (each length-prefixed
 * UTF-8), token (8), version (8), tombstone flag (1), payload (length-prefixed). A record whose
 * length or checksum does not match is torn or corrupt: {@link #decode} throws {@link
 * CorruptRecordException}.
 */
public record LogRecord(long seq, List<Update> updates) {
  private static final byte[] MAGIC = "FWL1".getBytes(StandardCharsets.US_ASCII);
  private static final int HEADER = 12;

  public LogRecord {
    updates = List.copyOf(updates);
    if (seq <= 0 || updates.isEmpty()) {
      throw new IllegalArgumentException("a record has a positive seq and at least one update");
    }
  }

  /** The bytes written to the store, whole, in one put. */
  public byte[] encode() {
    List<byte[]> parts = new ArrayList<>();
    int size = 12;
    for (Update u : updates) {
      byte[] k = u.key().getBytes(StandardCharsets.UTF_8);
      byte[] s = u.scope().getBytes(StandardCharsets.UTF_8);
      byte[] p = u.payload();
      ByteBuffer b = ByteBuffer.allocate(4 + k.length + 4 + s.length + 8 + 8 + 1 + 4 + p.length);
      b.putInt(k.length).put(k).putInt(s.length).put(s);
      b.putLong(u.token()).putLong(u.version()).put((byte) (u.delete() ? 1 : 0));
      b.putInt(p.length).put(p);
      parts.add(b.array());
      size += b.capacity();
    }
    ByteBuffer body = ByteBuffer.allocate(size);
    body.putLong(seq).putInt(updates.size());
    parts.forEach(body::put);
    CRC32C crc = new CRC32C();
    crc.update(body.array());
    ByteBuffer out = ByteBuffer.allocate(HEADER + size);
    out.put(MAGIC).putInt(size).putInt((int) crc.getValue()).put(body.array());
    return out.array();
  }

  /** Decodes a record, checking magic, length and checksum. */
  public static LogRecord decode(byte[] data) throws CorruptRecordException {
    if (data.length < HEADER || !Arrays.equals(Arrays.copyOf(data, 4), MAGIC)) {
      throw new CorruptRecordException("bad magic or short header");
    }
    ByteBuffer in = ByteBuffer.wrap(data);
    in.position(4);
    int size = in.getInt();
    int expected = in.getInt();
    if (size < 12 || size != data.length - HEADER) {
      throw new CorruptRecordException("torn record: " + (data.length - HEADER) + " of " + size);
    }
    CRC32C crc = new CRC32C();
    crc.update(data, HEADER, size);
    if ((int) crc.getValue() != expected) {
      throw new CorruptRecordException("checksum mismatch");
    }
    try {
      long seq = in.getLong();
      int n = in.getInt();
      List<Update> updates = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String key = string(in);
        String scope = string(in);
        long token = in.getLong();
        long version = in.getLong();
        boolean delete = in.get() != 0;
        byte[] payload = new byte[in.getInt()];
        in.get(payload);
        updates.add(new Update(key, scope, token, version, delete, payload));
      }
      return new LogRecord(seq, updates);
    } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
      throw new CorruptRecordException("malformed body: " + e);
    }
  }

  private static String string(ByteBuffer in) {
    byte[] b = new byte[in.getInt()];
    in.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }
}
