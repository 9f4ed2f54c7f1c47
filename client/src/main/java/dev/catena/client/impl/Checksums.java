package dev.catena.client.impl;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/** CRC32C (per chunk, DESIGN §2/§5) and MD5 (ETag) helpers. */
public final class Checksums {
  private Checksums() {}

  /** CRC32C of {@code b[off, off+len)} as the unsigned 32-bit value the wire format carries. */
  public static int crc32c(byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(b, off, len);
    return (int) c.getValue();
  }

  /** A fresh MD5 digest. */
  public static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always provides MD5", e);
    }
  }

  /** Lowercase hex of a digest. */
  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** Lowercase hex MD5 of {@code b}. */
  public static String md5Hex(byte[] b) {
    return hex(md5().digest(b));
  }
}
