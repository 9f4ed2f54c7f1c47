package dev.catena.chain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * iq80 0.12 creates log files, tables and MANIFESTs and renames CURRENT without ever fsyncing the
 * directory, so after a power failure an acknowledged write can sit in a log file whose name was
 * never made durable. {@link LevelDbObjectStore} fsyncs the directory after open and after every
 * log switch; these tests watch the directory syncs through the file layer and check, at each
 * acknowledgement, that the log holding the write was named in the directory at its last sync.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LevelDbDirectorySyncTest {
  @TempDir Path dir;

  /** The production layer, remembering what each synced directory held at its last sync. */
  static final class SyncWatch implements FileLayer {
    final java.util.Map<Path, Set<String>> synced = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Handle open(Path file) throws IOException {
      return ChannelFileLayer.INSTANCE.open(file);
    }

    @Override
    public List<Path> createDirectories(Path d) throws IOException {
      return ChannelFileLayer.INSTANCE.createDirectories(d);
    }

    @Override
    public List<Path> list(Path d) throws IOException {
      return ChannelFileLayer.INSTANCE.list(d);
    }

    @Override
    public void delete(Path file) throws IOException {
      ChannelFileLayer.INSTANCE.delete(file);
    }

    @Override
    public void syncDirectory(Path d) throws IOException {
      Set<String> names = names(d);
      ChannelFileLayer.INSTANCE.syncDirectory(d);
      synced.put(d, names);
    }

    @Override
    public Closeable tryLock(Path file) throws IOException {
      return ChannelFileLayer.INSTANCE.tryLock(file);
    }

    Set<String> syncedNames(Path d) {
      return synced.getOrDefault(d, Set.of());
    }
  }

  static Set<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      Set<String> out = new TreeSet<>();
      s.forEach(p -> out.add(p.getFileName().toString()));
      return out;
    }
  }

  static String newestLog(Path d) throws IOException {
    return names(d).stream().filter(n -> n.endsWith(".log")).max(String::compareTo).orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(
      value = FsyncPolicy.class,
      names = {"ALWAYS", "GROUP"})
  void everyWriteIsAcknowledgedOnlyOnceTheLogItIsInIsDurablyNamed(FsyncPolicy policy)
      throws Exception {
    SyncWatch watch = new SyncWatch();
    Path db = dir.resolve("meta");
    List<String> unnamed = Collections.synchronizedList(new ArrayList<>());
    Set<String> logs = Collections.synchronizedSet(new HashSet<>());
    try (LevelDbObjectStore store = LevelDbObjectStore.open(db, policy, watch, 64 << 10)) {
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        int n = i;
        ChainMutation m =
            new ChainMutation(
                1,
                n + 1,
                0,
                List.of(new ChainMutation.Put(("k" + n).getBytes(), new byte[2048], n + 1)),
                List.of());
        futures.add(
            store
                .apply(m)
                .thenRun(
                    () -> {
                      // runs on the writer thread, before the next batch is written
                      try {
                        String log = newestLog(db);
                        logs.add(log);
                        if (!watch.syncedNames(db).contains(log)) {
                          unnamed.add("write " + n + " acknowledged in unsynced " + log);
                        }
                      } catch (IOException e) {
                        unnamed.add(e.toString());
                      }
                    }));
        if (i % 16 == 15) {
          CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        }
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
    }
    assertThat(logs).as("log switches happened").hasSizeGreaterThanOrEqualTo(4);
    assertThat(unnamed).isEmpty();
  }

  @Test
  void openMakesTheNamesItCreatedDurable() throws IOException {
    SyncWatch watch = new SyncWatch();
    Path db = dir.resolve("new").resolve("meta");
    try (LevelDbObjectStore store =
        LevelDbObjectStore.open(db, FsyncPolicy.GROUP, watch, 64 << 10)) {
      assertThat(store.progress(1)).isEqualTo(ChainProgress.NONE);
    }
    try (LevelDbObjectStore store =
        LevelDbObjectStore.open(db, FsyncPolicy.GROUP, watch, 64 << 10)) {
      String current = Files.readString(db.resolve("CURRENT")).trim();
      assertThat(watch.syncedNames(db)).contains("CURRENT", current, newestLog(db));
      assertThat(watch.syncedNames(db.getParent())).contains("meta");
      assertThat(watch.syncedNames(dir)).contains("new");
      assertThat(store.progress(1)).isEqualTo(ChainProgress.NONE);
    }
  }
}
