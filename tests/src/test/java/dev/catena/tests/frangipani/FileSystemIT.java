package dev.catena.tests.frangipani;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.catena.client.ListOptions;
import dev.catena.frangipani.fs.FileSystem;
import dev.catena.frangipani.fs.FileSystem.DirEntry;
import dev.catena.frangipani.fs.FsException;
import dev.catena.frangipani.fs.Inode;
import dev.catena.frangipani.lock.LeaseLostException;
import dev.catena.frangipani.store.Fence;
import dev.catena.frangipani.wal.LogKeys;
import dev.catena.frangipani.wal.LogRecord;
import dev.catena.frangipani.wal.MetaObject;
import dev.catena.frangipani.wal.Update;
import dev.catena.frangipani.zk.FrangipaniMount;
import dev.catena.frangipani.zk.LockPaths;
import dev.catena.frangipani.zk.LockTableReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.test.KillSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The namespace on a real in-process Catena cluster (ZooKeeper, coordinator, 3 storage nodes with
 * LevelDB, gRPC on localhost): operations and their typed errors, coherence between clerks, crash
 * recovery from the log, and concurrent clerks leaving a consistent tree.
 */
@Timeout(240)
class FileSystemIT extends FrangipaniClusterTest {
  static final AtomicInteger buckets = new AtomicInteger();

  private static String freshBucket() {
    return "fs" + buckets.incrementAndGet();
  }

  // DESIGN §7 fencing at the storage: a clerk that lost its lock (paused past its lease) and wakes
  // to write back under its old grant's token is refused by the chain head; the newer holder's
  // write stays.
  @Test
  void aWriteUnderASupersededGrantIsRefusedAndChangesNothing() {
    var store = new dev.catena.frangipani.store.CatenaObjectStore(client, freshBucket());
    byte[] paused = "written by the paused clerk".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] newer = "written by the next holder".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    store.put("inode-7", paused, new dev.catena.frangipani.store.Fence("lock/inode-7", 5));
    store.put("inode-7", newer, new dev.catena.frangipani.store.Fence("lock/inode-7", 9));
    assertThatThrownBy(
            () ->
                store.put(
                    "inode-7", paused, new dev.catena.frangipani.store.Fence("lock/inode-7", 5)))
        .isInstanceOf(dev.catena.client.StaleFencingTokenException.class);
    assertThatThrownBy(
            () -> store.delete("inode-7", new dev.catena.frangipani.store.Fence("lock/inode-7", 5)))
        .isInstanceOf(dev.catena.client.StaleFencingTokenException.class);
    assertThat(store.get("inode-7")).hasValueSatisfying(v -> assertThat(v).isEqualTo(newer));
  }

  /** Waits for {@code f}; on a time-out prints every thread's stack (what is stuck) and fails. */
  private static <T> T within(java.util.concurrent.CompletableFuture<T> f, int seconds)
      throws Exception {
    try {
      return f.get(seconds, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      Thread.getAllStackTraces()
          .forEach(
              (t, st) -> {
                System.out.println("THREAD " + t.getName());
                for (var el : st) {
                  System.out.println("    at " + el);
                }
              });
      throw e;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static List<String> names(FileSystem fs, String path) {
    return fs.list(path).stream().map(DirEntry::name).toList();
  }

  @Test
  void operationsAndTheirErrorsLeaveNothingHalfDone() throws Exception {
    try (FrangipaniMount m = mount(freshBucket(), 1)) {
      FileSystem fs = m.fs();
      fs.mkdir("/a");
      fs.mkdir("/a/b");
      fs.write("/a/f", bytes("hello"));
      fs.create("/a/empty");
      assertThat(new String(fs.read("/a/f"), StandardCharsets.UTF_8)).isEqualTo("hello");
      assertThat(fs.read("/a/empty")).isEmpty();
      assertThat(names(fs, "/a")).containsExactly("b", "empty", "f");
      assertThat(fs.stat("/a/f").size()).isEqualTo(5);
      assertThat(fs.stat("/a").type()).isEqualTo(Inode.Type.DIR);

      assertThatThrownBy(() -> fs.mkdir("a")).isInstanceOf(FsException.InvalidPath.class);
      assertThatThrownBy(() -> fs.mkdir("/a//c")).isInstanceOf(FsException.InvalidPath.class);
      assertThatThrownBy(() -> fs.mkdir("/a/../c")).isInstanceOf(FsException.InvalidPath.class);
      assertThatThrownBy(() -> fs.mkdir("/x/y")).isInstanceOf(FsException.NoSuchPath.class);
      assertThatThrownBy(() -> fs.mkdir("/a/f/y")).isInstanceOf(FsException.NotADirectory.class);
      assertThatThrownBy(() -> fs.mkdir("/a/b")).isInstanceOf(FsException.AlreadyExists.class);
      assertThatThrownBy(() -> fs.rmdir("/a")).isInstanceOf(FsException.DirectoryNotEmpty.class);
      assertThatThrownBy(() -> fs.rmdir("/a/f")).isInstanceOf(FsException.NotADirectory.class);
      assertThatThrownBy(() -> fs.unlink("/a/b")).isInstanceOf(FsException.IsADirectory.class);
      assertThatThrownBy(() -> fs.read("/a")).isInstanceOf(FsException.IsADirectory.class);
      assertThatThrownBy(() -> fs.rename("/a", "/a/b/a2"))
          .isInstanceOf(FsException.InvalidMove.class);
      assertThatThrownBy(() -> fs.rename("/a/b", "/a/f"))
          .isInstanceOf(FsException.NotADirectory.class);
      assertThatThrownBy(() -> fs.rename("/nope", "/a/z"))
          .isInstanceOf(FsException.NoSuchPath.class);
      assertThatThrownBy(() -> fs.rmdir("/")).isInstanceOf(FsException.InvalidMove.class);
      assertThat(names(fs, "/a")).containsExactly("b", "empty", "f");
      assertThat(names(fs, "/")).containsExactly("a");

      fs.mkdir("/c");
      fs.rename("/a/f", "/c/g");
      assertThat(names(fs, "/a")).containsExactly("b", "empty");
      assertThat(new String(fs.read("/c/g"), StandardCharsets.UTF_8)).isEqualTo("hello");
      fs.write("/c/tmp", bytes("new"));
      fs.rename("/c/tmp", "/c/g");
      assertThat(new String(fs.read("/c/g"), StandardCharsets.UTF_8)).isEqualTo("new");
      assertThat(names(fs, "/c")).containsExactly("g");
      fs.rename("/a/b", "/c/b");
      fs.unlink("/c/g");
      fs.rmdir("/c/b");
      assertThat(names(fs, "/c")).isEmpty();
      fs.unlink("/a/empty");
      fs.rmdir("/a");
      fs.rmdir("/c");
      assertThat(names(fs, "/")).isEmpty();
    }
  }

  @Test
  void whatOneClerkWritesTheNextReadsThroughTheLocks() throws Exception {
    String bucket = freshBucket();
    try (FrangipaniMount a = mount(bucket, 2);
        FrangipaniMount b = mount(bucket, 3)) {
      within(java.util.concurrent.CompletableFuture.runAsync(() -> a.fs().mkdir("/shared")), 30);
      a.fs().write("/shared/f", bytes("from a"));
      assertThat(new String(b.fs().read("/shared/f"), StandardCharsets.UTF_8)).isEqualTo("from a");
      b.fs().rename("/shared/f", "/shared/g");
      b.fs().write("/shared/g", bytes("from b"));
      assertThat(names(a.fs(), "/shared")).containsExactly("g");
      assertThat(new String(a.fs().read("/shared/g"), StandardCharsets.UTF_8)).isEqualTo("from b");
      assertThat(a.fs().clerk().revokesHandled() + b.fs().clerk().revokesHandled()).isPositive();

      var table = LockTableReader.read(a.session(), new LockPaths(cluster.clusterName(), bucket));
      assertThat(table.liveClerks()).contains(a.clerkId(), b.clerkId());
      assertThat(table.rows()).anyMatch(r -> r.granted() && r.token() > 0);
    }
  }

  @Test
  void aDeadClerksLoggedUpdatesAreReplayedAndItsTornRecordIsNot() throws Exception {
    String bucket = freshBucket();
    try (FrangipaniMount b = mount(bucket, 5)) {
      FrangipaniMount a = mount(bucket, 4);
      a.fs().mkdir("/d");
      a.fs().write("/d/kept", bytes("logged"));
      // A record being written when the clerk died: torn, so it and everything after it is ignored.
      String clerk = a.clerkId();
      long nextSeq =
          LogKeys.seqs(clerk, keys(bucket, LogKeys.prefix(clerk))).stream()
                  .mapToLong(Long::longValue)
                  .max()
                  .orElse(0)
              + 1;
      byte[] torn =
          new LogRecord(
                  nextSeq,
                  List.of(
                      new Update("inode/root", "iroot", 1, 1_000_000, false, Inode.dir().encode())))
              .encode();
      client.putObject(
          bucket, LogKeys.record(clerk, nextSeq), java.util.Arrays.copyOf(torn, torn.length / 2));
      assertThat(LogKeys.seqs(clerk, keys(bucket, LogKeys.prefix(clerk)))).hasSizeGreaterThan(1);
      assertThat(a.fs().clerk().view()).anyMatch(v -> v.dirty());

      killSessionAndAwaitLeaseLost(a);
      a.close();

      assertThat(names(b.fs(), "/")).containsExactly("d");
      assertThat(new String(b.fs().read("/d/kept"), StandardCharsets.UTF_8)).isEqualTo("logged");
      assertThat(keys(bucket, LogKeys.prefix(clerk))).as("the log was consumed").isEmpty();
      assertThat(b.fs().stat("/").version()).isLessThan(1_000_000);
    }
  }

  /**
   * Two namespaces (buckets) of one cluster have separate lock tables and recovery daemons: a dead
   * clerk of one is not "recovered" by the daemon of the other (which would replay its log against
   * the wrong bucket, clear its marker and lose its logged updates); a clerk of its own namespace
   * replays it.
   */
  @Test
  void aDeadClerkIsRecoveredOnlyByADaemonOfItsOwnNamespace() throws Exception {
    String x = freshBucket();
    String y = freshBucket();
    FrangipaniMount a = mount(x, 50);
    a.fs().write("/f", bytes("logged in x"));
    String clerk = a.clerkId();
    try (FrangipaniMount b = mount(y, 51)) {
      killSessionAndAwaitLeaseLost(a);
      a.close();
      b.fs().mkdir("/in-y"); // b's daemon is the only one running; it must leave x's clerk alone
      assertThat(names(b.fs(), "/")).containsExactly("in-y");
      assertThat(
              b.session()
                  .checkExists()
                  .forPath(new LockPaths(cluster.clusterName(), x).clerk(clerk)))
          .as("the dead clerk's marker in its own namespace")
          .isNotNull();
    }
    try (FrangipaniMount c = mount(x, 52)) {
      assertThat(new String(c.fs().read("/f"), StandardCharsets.UTF_8)).isEqualTo("logged in x");
    }
  }

  @Test
  void theCliRunsEveryNamespaceCommandAndReportsTypedErrors(@TempDir Path tmp) throws Exception {
    String bucket = freshBucket();
    Path src = tmp.resolve("in.txt");
    java.nio.file.Files.writeString(src, "cli bytes");
    Path dst = tmp.resolve("out.txt");
    assertThat(cli(bucket, "mkdir", "/docs").exit()).isZero();
    assertThat(cli(bucket, "put", "/docs/a.txt", src.toString()).out()).contains("9 bytes");
    assertThat(cli(bucket, "mv", "/docs/a.txt", "/docs/b.txt").exit()).isZero();
    assertThat(cli(bucket, "ls", "/docs").out().strip()).isEqualTo("b.txt");
    assertThat(cli(bucket, "stat", "/docs/b.txt").out()).contains("file size=9");
    assertThat(cli(bucket, "get", "/docs/b.txt", dst.toString()).exit()).isZero();
    assertThat(java.nio.file.Files.readString(dst)).isEqualTo("cli bytes");
    CliRun notEmpty = cli(bucket, "rmdir", "/docs");
    assertThat(notEmpty.exit()).isNotZero();
    assertThat(notEmpty.err()).contains("directory not empty: /docs");
    assertThat(cli(bucket, "mkdir", "/nope/x").err()).contains("no such file or directory");
    assertThat(cli(bucket, "rm", "/docs/b.txt").exit()).isZero();
    assertThat(cli(bucket, "rmdir", "/docs").exit()).isZero();
    assertThat(cli(bucket, "ls", "/").out()).isBlank();
    CliRun locks = cli(bucket, "locks");
    assertThat(locks.exit()).isZero();
    assertThat(locks.out()).contains("LOCK").contains("live clerks");
  }

  private record CliRun(int exit, String out, String err) {}

  /** Runs {@code catena fs ARGS} against the test cluster, capturing what it prints. */
  private static synchronized CliRun cli(String bucket, String... args) {
    List<String> all = new ArrayList<>(List.of("fs"));
    all.addAll(List.of(args));
    all.addAll(List.of("--zk", cluster.connectString(), "--cluster", cluster.clusterName()));
    if (bucket != null) {
      all.addAll(List.of("--bucket", bucket));
    }
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.StringWriter();
    java.io.PrintStream saved = System.out;
    int exit;
    try {
      System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
      var cl = dev.catena.deploy.cli.CatenaCli.commandLine();
      cl.setErr(new java.io.PrintWriter(err, true));
      exit = cl.execute(all.toArray(String[]::new));
    } finally {
      System.setOut(saved);
    }
    return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString());
  }

  /**
   * Three clerks run random operations concurrently on a shared tree, one of them is killed
   * mid-run, recovered and replaced; afterwards every entry points to a live inode, every live
   * inode is reachable, and every acknowledged create/rename survives.
   */
  @Test
  void concurrentClerksWithACrashLeaveAConsistentTree() throws Exception {
    String bucket = freshBucket();
    try (FrangipaniMount setup = mount(bucket, 10)) {
      for (String d : List.of("/d0", "/d1", "/d2")) {
        setup.fs().mkdir(d);
      }
    }
    List<FrangipaniMount> mounts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      mounts.add(mount(bucket, 20 + i));
    }
    Map<String, String> acked = new java.util.concurrent.ConcurrentHashMap<>();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 3; i++) {
      FileSystem fs = mounts.get(i).fs();
      int clerk = i;
      Thread t =
          new Thread(
              () -> {
                SplittableRandom rnd = new SplittableRandom(100 + clerk);
                for (int op = 0; op < 60; op++) {
                  String name = "f" + clerk + "_" + op;
                  String d = "/d" + rnd.nextInt(3);
                  try {
                    switch (rnd.nextInt(4)) {
                      case 0, 1 -> {
                        fs.write(d + "/" + name, bytes(name));
                        acked.put(d + "/" + name, name);
                      }
                      case 2 -> {
                        var own =
                            acked.keySet().stream()
                                .filter(p -> p.contains("/f" + clerk + "_"))
                                .findFirst();
                        if (own.isPresent()) {
                          String to = "/d" + rnd.nextInt(3) + "/r" + name;
                          fs.rename(own.get(), to);
                          acked.put(to, acked.remove(own.get()));
                        }
                      }
                      default -> {
                        fs.mkdir(d + "/m" + name);
                        acked.put(d + "/m" + name, "<dir>");
                      }
                    }
                  } catch (LeaseLostException e) {
                    return;
                  } catch (RuntimeException e) {
                    errors.add(e);
                    return;
                  }
                }
              },
              "clerk-" + i);
      threads.add(t);
      t.start();
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> acked.size() >= 30);
    KillSession.kill(mounts.get(0).session().getZookeeperClient().getZooKeeper());
    for (Thread t : threads) {
      t.join(120_000);
    }
    assertThat(errors).isEmpty();
    mounts.get(0).close();
    for (int i = 1; i < 3; i++) {
      mounts.get(i).close();
    }
    try (FrangipaniMount check = mount(bucket, 99)) {
      FileSystem fs = check.fs();
      Set<String> reachable = new HashSet<>();
      ArrayDeque<String> todo = new ArrayDeque<>(List.of("/"));
      reachable.add(fs.stat("/").id());
      while (!todo.isEmpty()) {
        String p = todo.poll();
        for (DirEntry e : fs.list(p)) {
          String child = (p.equals("/") ? "" : p) + "/" + e.name();
          var st = fs.stat(child);
          assertThat(reachable.add(st.id())).as("inode of %s reachable once", child).isTrue();
          if (e.type() == Inode.Type.DIR) {
            todo.add(child);
          } else {
            assertThat(fs.read(child)).hasSize((int) st.size());
          }
        }
      }
      for (var e : acked.entrySet()) {
        var st = fs.stat(e.getKey());
        if (!e.getValue().equals("<dir>")) {
          assertThat(new String(fs.read(e.getKey()), StandardCharsets.UTF_8))
              .isEqualTo(e.getValue());
        } else {
          assertThat(st.type()).isEqualTo(Inode.Type.DIR);
        }
      }
      Map<String, MetaObject> inodes = new HashMap<>();
      for (String k : allKeys(bucket, "inode/")) {
        try (var c = client.getObject(bucket, k)) {
          inodes.put(k.substring("inode/".length()), MetaObject.decode(c.readAllBytes()));
        }
      }
      Set<String> liveInodes = new HashSet<>();
      inodes.forEach(
          (id, o) -> {
            if (!o.deleted()) {
              liveInodes.add(id);
            }
          });
      assertThat(liveInodes).as("no orphan inode").isEqualTo(reachable);
    }
    assertThat(Fence.NONE.token()).isZero();
  }

  private static List<String> allKeys(String bucket, String prefix) {
    List<String> out = new ArrayList<>();
    ListOptions o = ListOptions.prefix(prefix);
    while (true) {
      var page = client.listObjects(bucket, o);
      page.objects().forEach(s -> out.add(s.key()));
      if (!page.truncated()) {
        return out;
      }
      o = o.next(page);
    }
  }
}
