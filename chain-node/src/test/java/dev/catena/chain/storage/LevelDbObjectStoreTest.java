package dev.catena.chain.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour of {@link LevelDbObjectStore} (DESIGN §5). */
class LevelDbObjectStoreTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static List<StoredEntry> all(ObjectStore store, int chain) {
    List<StoredEntry> out = new ArrayList<>();
    try (CloseableIterator<StoredEntry> it = store.scan(chain, new byte[0], null)) {
      it.forEachRemaining(out::add);
    }
    return out;
  }

  @ParameterizedTest
  @EnumSource(FsyncPolicy.class)
  void putGetDeleteAndScanIncludeTombstones(FsyncPolicy policy) {
    try (LevelDbObjectStore store = LevelDbObjectStore.open(dir, policy)) {
      store
          .apply(
              ChainMutation.of(
                  7,
                  List.of(
                      new ChainMutation.Put(b("a"), b("1"), 1),
                      new ChainMutation.Put(b("b"), b("2"), 2),
                      new ChainMutation.Put(b("c"), b("3"), 3)),
                  List.of()))
          .join();
      store
          .apply(ChainMutation.of(7, List.of(), List.of(new ChainMutation.Delete(b("b"), 4))))
          .join();

      assertThat(store.get(7, b("a"))).contains(new VersionedValue(b("1"), 1, false));
      assertThat(store.get(7, b("b"))).contains(VersionedValue.tombstoneAt(4));
      assertThat(store.get(7, b("zz"))).isEmpty();
      assertThat(store.get(8, b("a"))).isEmpty();
      assertThat(all(store, 7))
          .containsExactly(
              new StoredEntry(b("a"), new VersionedValue(b("1"), 1, false)),
              new StoredEntry(b("b"), VersionedValue.tombstoneAt(4)),
              new StoredEntry(b("c"), new VersionedValue(b("3"), 3, false)));
      try (CloseableIterator<StoredEntry> it = store.scan(7, b("b"), b("c"))) {
        assertThat(it.next().key()).isEqualTo(b("b"));
        assertThat(it.hasNext()).isFalse();
      }
    }
  }

  @Test
  void scanOrdersKeysAsUnsignedBytesAndStaysInsideTheChain() {
    try (LevelDbObjectStore store = LevelDbObjectStore.open(dir, FsyncPolicy.NONE)) {
      byte[] high = {(byte) 0xF0};
      byte[] low = {0x10};
      store
          .apply(
              ChainMutation.of(
                  -1,
                  List.of(
                      new ChainMutation.Put(high, b("h"), 1),
                      new ChainMutation.Put(low, b("l"), 1)),
                  List.of()))
          .join();
      store.apply(ChainMutation.of(0, List.of(new ChainMutation.Put(low, b("x"), 1)), List.of()));
      store.apply(new ChainMutation(-1, 5, 0, List.of(), List.of())).join();
      assertThat(all(store, -1)).extracting(e -> e.key()[0]).containsExactly(low[0], high[0]);
      assertThat(all(store, 0)).hasSize(1);
      assertThat(store.chains()).containsExactlyInAnyOrder(-1, 0);
    }
  }

  @Test
  void progressFieldsUpdateIndependentlyAndSurviveReopen() {
    try (LevelDbObjectStore store = LevelDbObjectStore.open(dir, FsyncPolicy.GROUP)) {
      assertThat(store.progress(3)).isEqualTo(ChainProgress.NONE);
      store.apply(new ChainMutation(3, 10, 0, List.of(), List.of()));
      store.apply(new ChainMutation(3, 0, 8, List.of(), List.of()));
      store.apply(new ChainMutation(3, 12, 0, List.of(), List.of())).join();
      assertThat(store.progress(3)).isEqualTo(new ChainProgress(12, 8));
    }
    try (LevelDbObjectStore store = LevelDbObjectStore.open(dir, FsyncPolicy.GROUP)) {
      assertThat(store.progress(3)).isEqualTo(new ChainProgress(12, 8));
      assertThat(store.chains()).containsExactly(3);
    }
  }

  @Test
  void dropChainRemovesEverythingOfThatChainOnly() {
    try (LevelDbObjectStore store = LevelDbObjectStore.open(dir, FsyncPolicy.GROUP)) {
      for (int c : new int[] {1, 2, 3}) {
        List<ChainMutation.Put> puts = new ArrayList<>();
        for (int i = 0; i < 25_000; i += 1000) {
          puts.add(new ChainMutation.Put(b("k" + i), b("v"), i));
        }
        store.apply(new ChainMutation(c, 9, 9, puts, List.of()));
      }
      store.dropChain(2);
      assertThat(store.chains()).containsExactly(1, 3);
      assertThat(store.progress(2)).isEqualTo(ChainProgress.NONE);
      assertThat(all(store, 2)).isEmpty();
      assertThat(all(store, 1)).hasSize(25);
      store
          .apply(ChainMutation.of(2, List.of(new ChainMutation.Put(b("n"), b("v"), 1)), List.of()))
          .join();
      assertThat(all(store, 2)).hasSize(1);
    }
  }

  @Test
  void snapshotIsAConsistentCutOfProgressAndData() {
    try (LevelDbObjectStore store = LevelDbObjectStore.open(dir, FsyncPolicy.NONE)) {
      store
          .apply(
              new ChainMutation(
                  4, 1, 1, List.of(new ChainMutation.Put(b("a"), b("1"), 1)), List.of()))
          .join();
      try (ChainSnapshot snap = store.snapshot(4)) {
        store
            .apply(
                new ChainMutation(
                    4,
                    2,
                    2,
                    List.of(new ChainMutation.Put(b("b"), b("2"), 2)),
                    List.of(new ChainMutation.Delete(b("a"), 2))))
            .join();
        assertThat(snap.progress()).isEqualTo(new ChainProgress(1, 1));
        List<StoredEntry> seen = new ArrayList<>();
        try (CloseableIterator<StoredEntry> it = snap.scan(new byte[0], null)) {
          it.forEachRemaining(seen::add);
        }
        assertThat(seen)
            .containsExactly(new StoredEntry(b("a"), new VersionedValue(b("1"), 1, false)));
      }
      assertThat(store.progress(4)).isEqualTo(new ChainProgress(2, 2));
    }
  }

  @Test
  void futuresCompleteInSubmissionOrder() {
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    try (LevelDbObjectStore store = LevelDbObjectStore.open(dir, FsyncPolicy.GROUP)) {
      List<CompletableFuture<Void>> fs = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        int n = i;
        fs.add(
            store
                .apply(
                    ChainMutation.of(
                        1, List.of(new ChainMutation.Put(b("k" + i), new byte[100], i)), List.of()))
                .thenRun(() -> order.add(n)));
      }
      CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).join();
    }
    for (int i = 0; i < order.size(); i++) {
      assertThat(order.get(i)).as("completion #%d", i).isEqualTo(i);
    }
  }

  @Test
  void mutationArraysMayBeReusedAfterApplyReturns() {
    try (LevelDbObjectStore store = LevelDbObjectStore.open(dir, FsyncPolicy.GROUP)) {
      byte[] key = b("key");
      byte[] value = b("value");
      CompletableFuture<Void> f =
          store.apply(
              ChainMutation.of(1, List.of(new ChainMutation.Put(key, value, 1)), List.of()));
      value[0] = 'X';
      key[0] = 'X';
      f.join();
      assertThat(store.get(1, b("key"))).contains(new VersionedValue(b("value"), 1, false));
    }
  }

  @Test
  void closedStoreRejectsWritesAndReadsWithTypedErrors() {
    LevelDbObjectStore store = LevelDbObjectStore.open(dir, FsyncPolicy.GROUP);
    store.close();
    assertThatThrownBy(() -> store.apply(ChainMutation.of(1, List.of(), List.of())).join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(StorageClosedException.class);
    assertThatThrownBy(() -> store.get(1, b("k"))).isInstanceOf(StorageClosedException.class);
  }

  @Test
  void invalidMutationsAreRejected() {
    assertThatThrownBy(() -> new ChainMutation(1, -1, 0, List.of(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
