package dev.catena.chain.storage;

/**
 * Metadata of every chain as of the instant {@link ObjectStore#pin()} was called: later mutations
 * are not seen, whichever thread reads and whenever. Lets a decision made on one thread ("this
 * state may be served") be carried out on another. Close it to release the storage snapshot; reads
 * after close fail.
 */
public interface PinnedMetadata extends MetadataReads, AutoCloseable {
  @Override
  void close();
}
