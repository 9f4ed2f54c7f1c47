package dev.catena.frangipani.store;

import dev.catena.client.BucketExistsException;
import dev.catena.client.CatenaClient;
import dev.catena.client.ListOptions;
import dev.catena.client.NoSuchKeyException;
import dev.catena.client.ObjectContent;
import dev.catena.client.ObjectListing;
import dev.catena.client.ObjectSummary;
import dev.catena.client.PutOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link ObjectStore} on one Catena bucket through {@link CatenaClient}. A put returns once the
 * chain committed it (DESIGN §4 invariant 4). A write made under a lock carries its fence to the
 * chain head, which refuses a token below the highest it has seen for the lock's scope ({@link
 * dev.catena.client.StaleFencingTokenException}): a clerk that lost its lock while paused writes
 * nothing.
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
    PutOptions options =
        fence.token() > 0
            ? PutOptions.DEFAULT.withFence(
                new dev.catena.client.Fence(fence.scope(), fence.token()))
            : PutOptions.DEFAULT;
    client.putObject(bucket, key, data, options);
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
    if (fence.token() > 0) {
      CatenaClient.await(
          client.deleteObjectAsync(
              bucket, key, new dev.catena.client.Fence(fence.scope(), fence.token())));
    } else {
      client.deleteObject(bucket, key);
    }
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
