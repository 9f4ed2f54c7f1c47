package dev.catena.frangipani.store;

import java.util.List;
import java.util.Optional;

/**
 * The shared store Frangipani runs on (Petal's role): a linearizable map of keys to whole objects.
 * A put that returns is committed (by the chain tail, for Catena) and atomic: readers see the old
 * object or the new one. Implementations: {@link CatenaObjectStore}.
 */
public interface ObjectStore {
  /** Stores {@code data} under {@code key}, made under {@code fence}. */
  void put(String key, byte[] data, Fence fence);

  /** The object under {@code key}, if any. */
  Optional<byte[]> get(String key);

  /** Deletes {@code key} (absent keys are fine). */
  void delete(String key, Fence fence);

  /** Every key starting with {@code prefix}, sorted. */
  List<String> list(String prefix);
}
