package dev.catena.client;

import java.io.IOException;
import java.io.InputStream;

/**
 * The result of a get: the object's metadata and a stream over the requested bytes. The stream
 * fetches large objects chunk by chunk (bounded memory) and must be closed; closing this object
 * closes it. Reading from the stream throws {@link java.io.IOException} wrapping a {@link
 * CatenaException} (for example {@link ChecksumMismatchException}) when a chunk cannot be fetched
 * or verified.
 *
 * @param metadata the object's manifest without data
 * @param offset first byte of the object the stream starts at
 * @param length number of bytes the stream yields
 * @param stream the bytes {@code [offset, offset + length)}
 */
public record ObjectContent(ObjectMetadata metadata, long offset, long length, InputStream stream)
    implements AutoCloseable {
  /** Reads the whole stream into memory; only sensible for small objects or ranges. */
  public byte[] readAllBytes() throws IOException {
    return stream.readAllBytes();
  }

  @Override
  public void close() throws IOException {
    stream.close();
  }
}
