package dev.catena.tests.frangipani;

import dev.catena.frangipani.store.Fence;
import dev.catena.frangipani.store.ObjectStore;
import java.util.List;
import java.util.Optional;

/** An {@link ObjectStore} that forwards every call to another; subclasses intercept some. */
abstract class ForwardingObjectStore implements ObjectStore {
  private final ObjectStore store;

  ForwardingObjectStore(ObjectStore store) {
    this.store = store;
  }

  @Override
  public void put(String key, byte[] data, Fence fence) {
    store.put(key, data, fence);
  }

  @Override
  public Optional<byte[]> get(String key) {
    return store.get(key);
  }

  @Override
  public void delete(String key, Fence fence) {
    store.delete(key, fence);
  }

  @Override
  public List<String> list(String prefix) {
    return store.list(prefix);
  }
}
