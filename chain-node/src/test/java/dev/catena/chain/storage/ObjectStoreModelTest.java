package dev.catena.chain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property test: 10 000 random operations against {@link LevelDbObjectStore} and an in-memory model
 * (one {@link TreeMap} per chain ordered like LevelDB, plus progress). The store is closed and
 * reopened in the middle and at the end; every check compares store and model, and pinned reads
 * ({@link ObjectStore#pin}) are compared with the model as it was when they were pinned. A failure
 * message names the seed.
 */
class ObjectStoreModelTest {
  private static final int OPS = 10_000;
  private static final int[] CHAINS = {1, 2, -7};

  @TempDir Path dir;

  /** Model of one chain. */
  private static final class ChainModel {
    final TreeMap<byte[], VersionedValue> data = new TreeMap<>(Arrays::compareUnsigned);
    ChainProgress progress = ChainProgress.NONE;
  }

  private final Map<Integer, ChainModel> model = new HashMap<>();

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void randomOperationsMatchTheModel(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    // GROUP pays one fsync per read-after-write here; one seed covers it, the others run fast.
    FsyncPolicy policy = seed == 8 ? FsyncPolicy.GROUP : FsyncPolicy.NONE;
    int reopenAt = 2000 + rnd.nextInt(6000);
    LevelDbObjectStore store = LevelDbObjectStore.open(dir, policy);
    CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
    long version = 0;
    try {
      for (int op = 0; op < OPS; op++) {
        String where = "seed " + seed + ", op " + op;
        if (op == reopenAt) {
          store.close();
          store = LevelDbObjectStore.open(dir, policy);
          compareAll(store, where + " after reopen");
        }
        int chain = CHAINS[rnd.nextInt(CHAINS.length)];
        int kind = rnd.nextInt(100);
        if (kind < 70) {
          last = store.apply(randomMutation(rnd, chain, ++version));
        } else if (kind < 88) {
          last.join();
          byte[] key = randomKey(rnd);
          assertThat(store.get(chain, key))
              .as(where)
              .isEqualTo(Optional.ofNullable(chain(chain).data.get(key)));
        } else if (kind < 94) {
          last.join();
          byte[] from = randomKey(rnd);
          byte[] to = rnd.nextBoolean() ? null : randomKey(rnd);
          assertThat(scan(store, chain, from, to)).as(where).isEqualTo(modelScan(chain, from, to));
        } else if (kind < 95) {
          last.join();
          assertThat(store.progress(chain)).as(where).isEqualTo(chain(chain).progress);
        } else if (kind < 97) {
          last.join();
          var then = new TreeMap<byte[], VersionedValue>(Arrays::compareUnsigned);
          then.putAll(chain(chain).data);
          byte[] key = randomKey(rnd);
          try (PinnedMetadata pinned = store.pin()) {
            for (int i = rnd.nextInt(4); i > 0; i--) {
              last = store.apply(randomMutation(rnd, chain, ++version));
            }
            last.join();
            assertThat(pinned.get(chain, key))
                .as(where + " pinned get")
                .isEqualTo(Optional.ofNullable(then.get(key)));
            List<StoredEntry> pinnedAll = new ArrayList<>();
            try (CloseableIterator<StoredEntry> it = pinned.scan(chain, new byte[0], null)) {
              it.forEachRemaining(pinnedAll::add);
            }
            assertThat(pinnedAll)
                .as(where + " pinned scan")
                .isEqualTo(
                    then.entrySet().stream()
                        .map(e -> new StoredEntry(e.getKey(), e.getValue()))
                        .toList());
          }
        } else if (kind < 98) {
          store.dropChain(chain);
          model.remove(chain);
        } else {
          last.join();
          assertThat(store.chains()).as(where).isEqualTo(nonEmptyChains());
        }
      }
      last.join();
      compareAll(store, "seed " + seed + " at end");
      store.close();
      store = LevelDbObjectStore.open(dir, policy);
      compareAll(store, "seed " + seed + " after final reopen");
    } finally {
      store.close();
    }
  }

  private ChainModel chain(int c) {
    return model.computeIfAbsent(c, k -> new ChainModel());
  }

  private java.util.Set<Integer> nonEmptyChains() {
    java.util.Set<Integer> s = new java.util.HashSet<>();
    model.forEach(
        (c, m) -> {
          if (!m.data.isEmpty() || !m.progress.equals(ChainProgress.NONE)) {
            s.add(c);
          }
        });
    return s;
  }

  private static byte[] randomKey(SplittableRandom rnd) {
    byte[] k = new byte[1 + rnd.nextInt(3)];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (rnd.nextBoolean() ? rnd.nextInt(4) : 0xFC + rnd.nextInt(4));
    }
    return k;
  }

  private ChainMutation randomMutation(SplittableRandom rnd, int c, long version) {
    ChainModel m = chain(c);
    List<ChainMutation.Put> puts = new ArrayList<>();
    List<ChainMutation.Delete> deletes = new ArrayList<>();
    int n = rnd.nextInt(4);
    for (int i = 0; i < n; i++) {
      byte[] value = new byte[rnd.nextInt(64)];
      rnd.nextBytes(value);
      puts.add(new ChainMutation.Put(randomKey(rnd), value, version));
    }
    int d = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(2) : 0;
    for (int i = 0; i < d; i++) {
      deletes.add(
          rnd.nextInt(3) == 0
              ? ChainMutation.Delete.purge(randomKey(rnd))
              : new ChainMutation.Delete(randomKey(rnd), version));
    }
    long applied = rnd.nextInt(3) == 0 ? 0 : version;
    long committed = rnd.nextInt(3) == 0 ? 0 : Math.max(1, version - rnd.nextInt(5));
    for (ChainMutation.Put p : puts) {
      m.data.put(p.key(), new VersionedValue(p.value().clone(), p.version(), false));
    }
    for (ChainMutation.Delete del : deletes) {
      if (del.tombstone()) {
        m.data.put(del.key(), VersionedValue.tombstoneAt(del.version()));
      } else {
        m.data.remove(del.key()); // a purge leaves nothing a get or scan could see
      }
    }
    m.progress =
        new ChainProgress(
            applied != 0 ? applied : m.progress.appliedSeq(),
            committed != 0 ? committed : m.progress.committedSeq());
    return new ChainMutation(c, applied, committed, puts, deletes);
  }

  private static List<StoredEntry> scan(ObjectStore s, int c, byte[] from, byte[] to) {
    List<StoredEntry> out = new ArrayList<>();
    try (CloseableIterator<StoredEntry> it = s.scan(c, from, to)) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  private List<StoredEntry> modelScan(int c, byte[] from, byte[] to) {
    List<StoredEntry> out = new ArrayList<>();
    chain(c).data.tailMap(from, true).entrySet().stream()
        .filter(e -> to == null || Arrays.compareUnsigned(e.getKey(), to) < 0)
        .forEach(e -> out.add(new StoredEntry(e.getKey(), e.getValue())));
    return out;
  }

  private void compareAll(ObjectStore store, String where) {
    for (int c : CHAINS) {
      assertThat(scan(store, c, new byte[0], null))
          .as(where)
          .isEqualTo(modelScan(c, new byte[0], null));
      assertThat(store.progress(c)).as(where).isEqualTo(chain(c).progress);
    }
    assertThat(store.chains()).as(where).isEqualTo(nonEmptyChains());
  }
}
