package dev.catena.tests.sim;

import dev.catena.proto.v1.WriteOp;

/** 64-bit FNV-1a fingerprints of writes and of histories (a fold over write fingerprints). */
final class Fingerprint {
  private static final long OFFSET = 0xcbf29ce484222325L;
  private static final long PRIME = 0x100000001b3L;

  private Fingerprint() {}

  static long of(WriteOp op) {
    long h = OFFSET;
    for (byte b : op.toByteArray()) {
      h ^= b & 0xff;
      h *= PRIME;
    }
    return h;
  }

  static long mix(long prefix, long next) {
    long h = prefix ^ 0x9e3779b97f4a7c15L;
    h = (h ^ next) * PRIME;
    return h ^ (h >>> 29);
  }
}
