package dev.catena.s3;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A request body checked against its {@code Content-MD5} as it streams: when the declared length
 * has been read, a digest that differs fails that last read with an {@link IOException} carrying
 * S3's {@code BadDigest}, before the put can commit (Catena commits by writing the manifest after
 * the last byte, so nothing is stored).
 */
final class Md5CheckingInputStream extends FilterInputStream {
  private final MessageDigest md5;
  private final byte[] expected;
  private final long length;
  private long read;

  Md5CheckingInputStream(InputStream in, byte[] expected, long length) {
    super(in);
    try {
      this.md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
    this.expected = expected.clone();
    this.length = length;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n = in.read(b, off, len);
    if (n > 0) {
      md5.update(b, off, n);
      read += n;
    }
    if (n > 0 && read == length && !Arrays.equals(md5.digest(), expected)) {
      throw new IOException("Content-MD5 mismatch", S3Errors.badDigest());
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    throw new IOException("skip is not supported on a digest-checked body");
  }
}
