package dev.catena.chain.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.catena.proto.v1.ChainMessage;
import dev.catena.proto.v1.ChunkMeta;
import dev.catena.proto.v1.PutChunk;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * End-to-end checks of chunk bytes (GFS §5.2): the CRC32C a client computed travels with the chunk
 * to every replica and into its marker ({@link ChunkMeta}); each replica, and each snapshot
 * install, verifies the bytes it received against it before storing or acknowledging them, so bytes
 * damaged on the way are never stored under a checksum computed afresh over the damage.
 */
public final class ChunkIntegrity {
  private ChunkIntegrity() {}

  /** The marker value of a chunk write: its length and the sender's CRC32C. */
  public static ChunkMeta meta(PutChunk put) {
    return ChunkMeta.newBuilder()
        .setLength(put.getData().size())
        .setCrc32C(put.getCrc32C())
        .setCreatedAtMillis(put.getCreatedAtMillis())
        .build();
  }

  /** CRC32C of {@code data}, as carried in {@code crc32c} fields. */
  public static int crc32c(ByteString data) {
    CRC32C crc = new CRC32C();
    crc.update(data.asReadOnlyByteBuffer());
    return (int) crc.getValue();
  }

  /** Why the bytes of a chunk write do not match its CRC32C, if they do not. */
  public static Optional<String> mismatch(PutChunk put) {
    int actual = crc32c(put.getData());
    return actual == put.getCrc32C()
        ? Optional.empty()
        : Optional.of(
            "chunk "
                + put.getChunkId()
                + ": CRC32C "
                + Integer.toUnsignedString(actual, 16)
                + " of the bytes received, sender's "
                + Integer.toUnsignedString(put.getCrc32C(), 16));
  }

  /** Why a message from the predecessor carries damaged chunk bytes, if it does. */
  public static Optional<String> mismatch(ChainMessage m) {
    return m.hasForward() && m.getForward().getOp().hasPutChunk()
        ? mismatch(m.getForward().getOp().getPutChunk())
        : Optional.empty();
  }

  /**
   * Parses a chunk marker's value; empty for a marker written before markers carried their chunk's
   * checksum (nothing to compare against).
   *
   * @throws ChunkIntegrityException if the value is not a {@link ChunkMeta}
   */
  public static Optional<ChunkMeta> parseMarker(String chunkId, byte[] value) {
    if (value.length == 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(ChunkMeta.parseFrom(value));
    } catch (InvalidProtocolBufferException e) {
      throw new ChunkIntegrityException("bad marker of chunk " + chunkId + ": " + e.getMessage());
    }
  }

  /**
   * Verifies snapshot bytes of a chunk against its marker.
   *
   * @throws ChunkIntegrityException if length or CRC32C differ
   */
  public static void verify(String chunkId, byte[] markerValue, ByteString data) {
    Optional<ChunkMeta> meta = parseMarker(chunkId, markerValue);
    if (meta.isEmpty()) {
      return;
    }
    int actual = crc32c(data);
    if (meta.get().getLength() != data.size() || meta.get().getCrc32C() != actual) {
      throw new ChunkIntegrityException(
          "chunk "
              + chunkId
              + ": received "
              + data.size()
              + " bytes with CRC32C "
              + Integer.toUnsignedString(actual, 16)
              + ", its marker says "
              + meta.get().getLength()
              + " bytes with "
              + Integer.toUnsignedString(meta.get().getCrc32C(), 16));
    }
  }

  /** Whether a write of {@code put} may follow an existing chunk of that id (write-once ids). */
  public static boolean sameContent(ChunkMeta existing, PutChunk put) {
    return existing.getLength() == put.getData().size() && existing.getCrc32C() == put.getCrc32C();
  }
}
