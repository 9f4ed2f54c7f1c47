package dev.catena.chain.storage;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * LevelDB key and value layout of {@link LevelDbObjectStore}.
 *
 * <pre>
 * key   = [chainId: 4 bytes big-endian][type: 1 byte][suffix]
 *   type 0x01 DATA      suffix = the user key
 *   type 0x02 PROGRESS  suffix = empty
 *   type 0x03 DEDUP     suffix = clientId in UTF-8 (written by earlier versions only; removed
 *                       with its chain)
 * DATA value     = [format 0x01][flags: bit0 = tombstone][version: 8 bytes BE][value bytes]
 * PROGRESS value = [format 0x01][appliedSeq: 8 bytes BE][committedSeq: 8 bytes BE]
 * </pre>
 *
 * LevelDB orders keys by unsigned bytes, so a chain's records are contiguous, data keys within a
 * chain are in unsigned lexicographic order of the user key, and the chain ids present can be
 * enumerated by seeking past each chain's prefix. The one key shorter than a chain prefix, {@link
 * #SYNC_MARKER}, is only ever deleted (it gives an otherwise empty LevelDB batch something to log
 * so that a sync write really reaches the log).
 */
final class ObjectKeys {
  static final byte DATA = 0x01;
  static final byte PROGRESS = 0x02;
  static final byte FORMAT = 0x01;
  static final int PREFIX = 5;
  static final byte[] SYNC_MARKER = {0x00};

  private ObjectKeys() {}

  static byte[] key(int chainId, byte type, byte[] suffix) {
    byte[] k = new byte[PREFIX + suffix.length];
    ByteBuffer.wrap(k).putInt(chainId).put(type).put(suffix);
    return k;
  }

  static byte[] dataKey(int chainId, byte[] userKey) {
    return key(chainId, DATA, userKey);
  }

  static byte[] progressKey(int chainId) {
    return key(chainId, PROGRESS, new byte[0]);
  }

  /** First key of a chain (inclusive). */
  static byte[] chainStart(int chainId) {
    return ByteBuffer.allocate(4).putInt(chainId).array();
  }

  /** Whether {@code k} is a record of some chain (not the sync marker). */
  static boolean isChainKey(byte[] k) {
    return k.length >= PREFIX;
  }

  static int chainOf(byte[] k) {
    return ByteBuffer.wrap(k).getInt();
  }

  static byte typeOf(byte[] k) {
    return k[4];
  }

  static byte[] suffix(byte[] k) {
    return Arrays.copyOfRange(k, PREFIX, k.length);
  }

  static boolean hasPrefix(byte[] k, int chainId, byte type) {
    return k.length >= PREFIX && chainOf(k) == chainId && typeOf(k) == type;
  }

  static byte[] encodeValue(byte[] value, long version, boolean tombstone) {
    byte[] v = new byte[10 + value.length];
    ByteBuffer.wrap(v).put(FORMAT).put((byte) (tombstone ? 1 : 0)).putLong(version).put(value);
    return v;
  }

  static VersionedValue decodeValue(byte[] v) {
    if (v.length < 10 || v[0] != FORMAT || (v[1] & ~1) != 0) {
      throw new CorruptRecordException("bad data value encoding (" + v.length + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(v);
    b.position(2);
    long version = b.getLong();
    boolean tombstone = (v[1] & 1) != 0;
    return new VersionedValue(Arrays.copyOfRange(v, 10, v.length), version, tombstone);
  }

  static byte[] encodeProgress(ChainProgress p) {
    return ByteBuffer.allocate(17)
        .put(FORMAT)
        .putLong(p.appliedSeq())
        .putLong(p.committedSeq())
        .array();
  }

  static ChainProgress decodeProgress(byte[] v) {
    if (v.length != 17 || v[0] != FORMAT) {
      throw new CorruptRecordException("bad progress encoding (" + v.length + " bytes)");
    }
    ByteBuffer b = ByteBuffer.wrap(v);
    b.get();
    return new ChainProgress(b.getLong(), b.getLong());
  }
}
