package dev.catena.tests.bench.compare;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The Raft reference's request encoding: a put is {@code [key length: int][key UTF-8][value]}, a
 * get is the key's UTF-8 bytes. Pure.
 */
public final class KvCodec {
  private KvCodec() {}

  /** A decoded put. */
  public record Put(byte[] key, ByteBuffer value) {}

  /** Encodes a put of {@code value} under {@code key}. */
  public static byte[] encodePut(String key, byte[] value) {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + k.length + value.length)
        .putInt(k.length)
        .put(k)
        .put(value)
        .array();
  }

  /**
   * Decodes a put.
   *
   * @throws IllegalArgumentException if the key length is out of range
   */
  public static Put decodePut(ByteBuffer b) {
    ByteBuffer in = b.duplicate();
    int n = in.getInt();
    if (n < 0 || n > in.remaining()) {
      throw new IllegalArgumentException("bad key length " + n);
    }
    byte[] k = new byte[n];
    in.get(k);
    return new Put(k, in.slice());
  }
}
