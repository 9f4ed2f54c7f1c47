package dev.catena.frangipani.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An in-memory {@link ObjectStore} for the log's unit tests (the same logic runs against a real
 * Catena cluster in the tests module). Records every write in order; can fail the next put.
 */
public final class MemoryStore implements ObjectStore {
  public final TreeMap<String, byte[]> objects = new TreeMap<>();
  public final List<String> writes = new ArrayList<>();
  public boolean failNextPut;

  @Override
  public synchronized void put(String key, byte[] data, Fence fence) {
    if (failNextPut) {
      failNextPut = false;
      objects.put(key, data.clone()); // landed, but the caller sees a failure
      throw new IllegalStateException("store unavailable");
    }
    writes.add("put " + key);
    objects.put(key, data.clone());
  }

  @Override
  public synchronized Optional<byte[]> get(String key) {
    return Optional.ofNullable(objects.get(key)).map(byte[]::clone);
  }

  @Override
  public synchronized void delete(String key, Fence fence) {
    writes.add("delete " + key);
    objects.remove(key);
  }

  @Override
  public synchronized List<String> list(String prefix) {
    return new ArrayList<>(objects.subMap(prefix, prefix + Character.MAX_VALUE).keySet());
  }
}
