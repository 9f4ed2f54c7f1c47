package dev.catena.deploy.cli;

import dev.catena.client.CatenaClient;
import dev.catena.frangipani.fs.FileSystem;
import dev.catena.frangipani.fs.FileSystem.DirEntry;
import dev.catena.frangipani.fs.FileSystem.Stat;
import dev.catena.frangipani.zk.FrangipaniMount;
import dev.catena.frangipani.zk.LockTableReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code catena fs …}: the Frangipani namespace on the cluster. Each command mounts the namespace
 * as a short-lived clerk (its own ZooKeeper session, locks and log), runs one operation and
 * unmounts cleanly, writing everything back. A crashed command's log is replayed by the next clerk
 * that mounts. {@code fs locks} prints the lock table.
 */
@Command(
    name = "fs",
    description = "The file-system namespace (Frangipani locks + log on Catena).",
    subcommands = {
      FsCommand.Mkdir.class,
      FsCommand.Put.class,
      FsCommand.Get.class,
      FsCommand.Move.class,
      FsCommand.Remove.class,
      FsCommand.Rmdir.class,
      FsCommand.Ls.class,
      FsCommand.StatCommand.class,
      FsCommand.Locks.class
    })
final class FsCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Where the namespace is: the cluster plus the bucket holding its objects. */
  static final class FsOptions {
    @Mixin ClientOptions client;

    @Option(
        names = "--bucket",
        defaultValue = FrangipaniMount.DEFAULT_BUCKET,
        description = "bucket holding the namespace (default ${DEFAULT-VALUE})")
    String bucket;

    @Option(
        names = "--session-timeout",
        defaultValue = "10s",
        description = "the clerk's lease (ZooKeeper session), e.g. 10s")
    String sessionTimeout;

    interface Op<T> {
      T run(FileSystem fs) throws IOException;
    }

    <T> T run(Op<T> op) throws Exception {
      Duration lease = Duration.parse("PT" + sessionTimeout.toUpperCase(java.util.Locale.ROOT));
      try (CatenaClient c = client.connect();
          FrangipaniMount m =
              FrangipaniMount.open(
                  client.zk, client.cluster, c, bucket, lease, new SecureRandom())) {
        return op.run(m.fs());
      }
    }
  }

  /** A command that applies one operation to one PATH. */
  abstract static class PathCommand implements Callable<Integer> {
    @Mixin FsOptions opts;

    @Parameters(paramLabel = "PATH")
    String path;

    abstract void apply(FileSystem fs, String path);

    @Override
    public Integer call() throws Exception {
      opts.run(
          fs -> {
            apply(fs, path);
            return null;
          });
      return 0;
    }
  }

  @Command(name = "mkdir", description = "Make a directory (its parent must exist).")
  static final class Mkdir extends PathCommand {
    @Override
    void apply(FileSystem fs, String path) {
      fs.mkdir(path);
    }
  }

  @Command(name = "put", description = "Store FILE (or stdin with '-') as PATH, replacing it.")
  static final class Put implements Callable<Integer> {
    @Mixin FsOptions opts;

    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    @Parameters(index = "1", paramLabel = "FILE|-")
    String file;

    @Override
    public Integer call() throws Exception {
      byte[] data;
      try (InputStream in = file.equals("-") ? System.in : Files.newInputStream(Path.of(file))) {
        data = in.readAllBytes();
      }
      opts.run(
          fs -> {
            fs.write(path, data);
            return null;
          });
      System.out.printf("%s %d bytes%n", path, data.length);
      return 0;
    }
  }

  @Command(name = "get", description = "Fetch PATH into FILE (or stdout with '-' or no FILE).")
  static final class Get implements Callable<Integer> {
    @Mixin FsOptions opts;

    @Parameters(index = "0", paramLabel = "PATH")
    String path;

    @Parameters(index = "1", paramLabel = "FILE|-", arity = "0..1")
    String file;

    @Override
    public Integer call() throws Exception {
      byte[] data = opts.run(fs -> fs.read(path));
      boolean stdout = file == null || file.equals("-");
      try (OutputStream out = stdout ? System.out : Files.newOutputStream(Path.of(file))) {
        out.write(data);
        out.flush();
      }
      return 0;
    }
  }

  @Command(name = "mv", description = "Move FROM to TO atomically (replaces a file at TO).")
  static final class Move implements Callable<Integer> {
    @Mixin FsOptions opts;

    @Parameters(index = "0", paramLabel = "FROM")
    String from;

    @Parameters(index = "1", paramLabel = "TO")
    String to;

    @Override
    public Integer call() throws Exception {
      opts.run(
          fs -> {
            fs.rename(from, to);
            return null;
          });
      return 0;
    }
  }

  @Command(name = "rm", description = "Remove a file.")
  static final class Remove extends PathCommand {
    @Override
    void apply(FileSystem fs, String path) {
      fs.unlink(path);
    }
  }

  @Command(name = "rmdir", description = "Remove an empty directory.")
  static final class Rmdir extends PathCommand {
    @Override
    void apply(FileSystem fs, String path) {
      fs.rmdir(path);
    }
  }

  @Command(name = "ls", description = "List a directory (default /).")
  static final class Ls implements Callable<Integer> {
    @Mixin FsOptions opts;

    @Parameters(paramLabel = "PATH", arity = "0..1", defaultValue = "/")
    String path;

    @Override
    public Integer call() throws Exception {
      for (DirEntry e : opts.run(fs -> fs.list(path))) {
        System.out.println(
            e.name() + (e.type() == dev.catena.frangipani.fs.Inode.Type.DIR ? "/" : ""));
      }
      return 0;
    }
  }

  @Command(name = "stat", description = "Type, size, inode id and version of PATH.")
  static final class StatCommand implements Callable<Integer> {
    @Mixin FsOptions opts;

    @Parameters(paramLabel = "PATH")
    String path;

    @Override
    public Integer call() throws Exception {
      Stat s = opts.run(fs -> fs.stat(path));
      System.out.printf(
          "%s %s size=%d entries=%d inode=%s version=%d%n",
          s.path(),
          s.type().name().toLowerCase(java.util.Locale.ROOT),
          s.size(),
          s.entries(),
          s.id(),
          s.version());
      return 0;
    }
  }

  @Command(
      name = "locks",
      description = "The lock table: lock, holder, mode, token, granted/waiting, revoke pending.")
  static final class Locks implements Callable<Integer> {
    @Mixin FsOptions where;

    @Override
    public Integer call() throws Exception {
      LockTableReader.Table t = where.client.lockTable(where.bucket);
      System.out.printf(
          "%-24s %-20s %-10s %-20s %-8s %s%n", "LOCK", "CLERK", "MODE", "TOKEN", "STATE", "REVOKE");
      for (LockTableReader.Row r : t.rows()) {
        System.out.printf(
            "%-24s %-20s %-10s %-20d %-8s %s%n",
            r.lock(),
            r.clerk() + (t.liveClerks().contains(r.clerk()) ? "" : " (dead)"),
            r.downgraded() ? "shared(d)" : r.mode().name().toLowerCase(java.util.Locale.ROOT),
            r.token(),
            r.granted() ? "granted" : "waiting#" + r.position(),
            r.revokeRequested() ? "requested" : "-");
      }
      System.out.println("live clerks: " + t.liveClerks());
      if (!t.unrecoveredClerks().isEmpty()) {
        System.out.println("logs awaiting recovery (grants held back): " + t.unrecoveredClerks());
      }
      return 0;
    }
  }
}
