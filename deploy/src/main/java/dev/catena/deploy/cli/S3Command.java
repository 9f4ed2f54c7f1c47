package dev.catena.deploy.cli;

import dev.catena.deploy.s3.GatewayProcess;
import dev.catena.s3.auth.AccessKey;
import dev.catena.s3.zk.ZkAccessKeys;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code catena s3}: the S3 gateway and its access keys (DESIGN §10). */
@Command(
    name = "s3",
    description = "S3 gateway: serve the S3 API, manage access keys.",
    subcommands = {S3Command.Serve.class, S3Command.Key.class})
final class S3Command implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The cluster key file option, shared by the key commands and serve. */
  static final class KeyFile {
    @Option(
        names = "--key-file",
        defaultValue = "data/s3.key",
        description = "cluster key sealing the secrets (default ${DEFAULT-VALUE})")
    Path path;
  }

  /** {@code catena s3 serve}: one gateway in the foreground until Ctrl-C. */
  @Command(name = "serve", description = "Serve the S3 API for a cluster (Ctrl-C stops).")
  static final class Serve implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Mixin KeyFile keyFile;

    @Option(
        names = "--port",
        defaultValue = "9000",
        description = "port (default ${DEFAULT-VALUE})")
    int port;

    @Option(
        names = "--host",
        defaultValue = "127.0.0.1",
        description = "address to listen on (default ${DEFAULT-VALUE})")
    String host;

    @Override
    public Integer call() throws Exception {
      GatewayProcess g =
          GatewayProcess.start(
              new GatewayProcess.Options(opts.zk, opts.cluster, keyFile.path, host, port, false));
      Foreground fg = Foreground.closeOnExit(g, "stopping the S3 gateway");
      System.out.println("S3 gateway for cluster " + opts.cluster + " at " + g.endpoint());
      fg.await();
      return 0;
    }
  }

  /** {@code catena s3 key}: create, list and remove access keys. */
  @Command(
      name = "key",
      description = "Manage S3 access keys (stored in ZooKeeper, secrets sealed).",
      subcommands = {Create.class, Ls.class, Rm.class})
  static final class Key implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(System.out);
    }
  }

  static ZkAccessKeys connect(ClientOptions opts, Path keyFile, boolean create) throws Exception {
    return ZkAccessKeys.connect(
        opts.zk, opts.cluster, GatewayProcess.cipher(keyFile, create), Duration.ofSeconds(10));
  }

  @Command(name = "create", description = "Create a key; prints its id and secret once.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions opts;
    @Mixin KeyFile keyFile;

    @Option(names = "--id", description = "access key id (default: random)")
    String id;

    @Option(
        names = "--bucket",
        description = "a bucket the key may use; repeat for several (default: every bucket)")
    List<String> buckets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      List<String> b = buckets.isEmpty() ? List.of(AccessKey.ALL_BUCKETS) : buckets;
      AccessKey fresh = AccessKey.generate(new SecureRandom(), Set.copyOf(b));
      String keyId = id == null ? fresh.id() : id;
      try (ZkAccessKeys keys = connect(opts, keyFile.path, true)) {
        keys.create(keyId, fresh.secret(), b);
      }
      System.out.println("access key id:     " + keyId);
      System.out.println("secret access key: " + fresh.secret());
      System.out.println("buckets:           " + String.join(",", b));
      return 0;
    }
  }

  @Command(name = "ls", description = "List keys (ids and buckets, never secrets).")
  static final class Ls implements Callable<Integer> {
    @Mixin ClientOptions opts;

    @Override
    public Integer call() throws Exception {
      try (ZkAccessKeys keys =
          ZkAccessKeys.connect(opts.zk, opts.cluster, null, Duration.ofSeconds(10))) {
        for (var r : keys.list()) {
          System.out.printf(
              "%-24s %-24s %s%n",
              r.getAccessKeyId(),
              Instant.ofEpochMilli(r.getCreatedAtMillis()),
              String.join(",", r.getBucketsList()));
        }
      }
      return 0;
    }
  }

  @Command(name = "rm", description = "Remove a key; gateways refuse it from then on.")
  static final class Rm implements Callable<Integer> {
    @Mixin ClientOptions opts;

    @Parameters(paramLabel = "ID", description = "access key id")
    String id;

    @Override
    public Integer call() throws Exception {
      try (ZkAccessKeys keys =
          ZkAccessKeys.connect(opts.zk, opts.cluster, null, Duration.ofSeconds(10))) {
        if (!keys.delete(id)) {
          throw new IllegalArgumentException("no access key " + id);
        }
      }
      System.out.println("removed access key " + id);
      return 0;
    }
  }
}
