package dev.catena.frangipani.store;

import dev.catena.client.BucketExistsException;
import dev.catena.client.CatenaClient;
import dev.catena.client.ListOptions;
import dev.catena.client.NoSuchKeyException;
import dev.catena.client.ObjectContent;
import dev.catena.client.ObjectListing;
import dev.catena.client.ObjectSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ObjectStore} on one Catena bucket through {@link CatenaClient}. A put returns once the
 * chain committed it (DESIGN §4 invariant 4). The fence is not sent yet: the chain head's token
 * check is a separate change; this is the one place that will pass it on.
 */
public final class CatenaObjectStore implements ObjectStore {
  private final CatenaClient client;
  private final String bucket;

  /** A store on {@code bucket} (created if missing). */
  public CatenaObjectStore(CatenaClient client, String bucket) {
    this.client = client;
    this.bucket = bucket;
    try {
      client.createBucket(bucket);
    } catch (BucketExistsException e) {
      // already there
    }
  }

  @Override
  public void put(String key, byte[] data, Fence fence) {
    client.putObject(bucket, key, data);
  }

  @Override
  public Optional<byte[]> get(String key) {
    try (ObjectContent c = client.getObject(bucket, key)) {
      return Optional.of(c.readAllBytes());
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void delete(String key, Fence fence) {
    client.deleteObject(bucket, key);
  }

  @Override
  public List<String> list(String prefix) {
    List<String> out = new ArrayList<>();
    ListOptions options = ListOptions.prefix(prefix);
    while (true) {
      ObjectListing page = client.listObjects(bucket, options);
      for (ObjectSummary s : page.objects()) {
        out.add(s.key());
      }
      if (!page.truncated()) {
        return out;
      }
      options = options.next(page);
    }
  }

  /** The bucket this store writes to. */
  public String bucket() {
    return bucket;
  }
}
