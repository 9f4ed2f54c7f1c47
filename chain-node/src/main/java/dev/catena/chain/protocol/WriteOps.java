package dev.catena.chain.protocol;

import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;

/** Pure helpers over {@link WriteOp}: the storage key a write touches and its result. */
public final class WriteOps {
  private WriteOps() {}

  /**
   * The key a write touches: {@code o/<bucket>/<key>} for objects and {@code c/<chunkId>} for
   * chunks. Reads use the same form, so a read can be matched against pending writes.
   */
  public static String keyOf(WriteOp op) {
    return switch (op.getOpCase()) {
      case PUT_MANIFEST -> objectKey(op.getPutManifest().getBucket(), op.getPutManifest().getKey());
      case DELETE_OBJECT ->
          objectKey(op.getDeleteObject().getBucket(), op.getDeleteObject().getKey());
      case PUT_CHUNK -> chunkKey(op.getPutChunk().getChunkId());
      case DELETE_CHUNK -> chunkKey(op.getDeleteChunk().getChunkId());
      case OP_NOT_SET -> throw new IllegalArgumentException("write without an operation");
    };
  }

  /** The protocol key of an object. */
  public static String objectKey(String bucket, String key) {
    return "o/" + bucket + "/" + key;
  }

  /** The protocol key of a chunk. */
  public static String chunkKey(String chunkId) {
    return "c/" + chunkId;
  }

  /**
   * The deterministic result of applying {@code op} as write {@code seq}. Every replica computes
   * the same value, so the dedup record is identical everywhere.
   */
  public static WriteResult resultOf(long seq, WriteOp op) {
    var b = WriteResult.newBuilder().setSeq(seq).setOk(true);
    if (op.hasPutManifest()) {
      b.setVersionId(op.getPutManifest().getVersionId());
    }
    return b.build();
  }
}
