package dev.catena.tests.bench.compare;

import dev.catena.chain.storage.FsyncPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;

/**
 * One peer of the benchmark's Raft reference as its own OS process: {@code RatisPeerMain <index>
 * <peers> <basePort> <dataDir> <fsync> [key=value...]} starts peer {@code p<index>} of the group
 * {@link RatisSettings#group} with {@link KvStateMachine}, gRPC transport and Ratis property
 * overrides, and runs until it receives SIGTERM or its parent process exits (so a benchmark that
 * dies leaves no peer behind). Exit code 2 on bad arguments.
 */
public final class RatisPeerMain {
  private RatisPeerMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    if (args.length < 5) {
      System.err.println(
          "usage: RatisPeerMain <index> <peers> <basePort> <dataDir> <fsync> [key=value...]");
      System.exit(2);
    }
    var overrides = new java.util.LinkedHashMap<String, String>();
    for (int a = 5; a < args.length; a++) {
      int eq = args[a].indexOf('=');
      if (eq <= 0) {
        System.err.println("expected key=value, got " + args[a]);
        System.exit(2);
      }
      overrides.put(args[a].substring(0, eq), args[a].substring(eq + 1));
    }
    int index = Integer.parseInt(args[0]);
    int peers = Integer.parseInt(args[1]);
    int basePort = Integer.parseInt(args[2]);
    Path dir = Path.of(args[3]);
    FsyncPolicy fsync = FsyncPolicy.valueOf(args[4].toUpperCase(Locale.ROOT));
    RaftGroup group = RatisSettings.group(peers, basePort);
    RaftProperties p = RatisSettings.properties(fsync, overrides);
    Files.createDirectories(dir.resolve("raft"));
    RaftServerConfigKeys.setStorageDir(p, List.of(dir.resolve("raft").toFile()));
    GrpcConfigKeys.Server.setHost(p, "127.0.0.1");
    GrpcConfigKeys.Server.setPort(p, basePort + index);
    RaftServer server =
        RaftServer.newBuilder()
            .setServerId(RaftPeerId.valueOf(RatisSettings.peerId(index)))
            .setGroup(group)
            .setProperties(p)
            .setStateMachine(new KvStateMachine(dir.resolve("kv")))
            .setOption(RaftStorage.StartupOption.FORMAT)
            .build();
    var stopped = new CountDownLatch(1);
    Runnable stop =
        () -> {
          try {
            server.close();
          } catch (IOException e) {
            System.err.println("closing the Raft server failed: " + e);
          } finally {
            stopped.countDown();
          }
        };
    Runtime.getRuntime().addShutdownHook(new Thread(stop, "ratis-peer-stop"));
    ProcessHandle.current()
        .parent()
        .ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      System.err.println("ratis peer " + RatisSettings.peerId(index) + " failed to start: " + e);
      e.printStackTrace();
      Runtime.getRuntime().halt(1);
    }
    System.out.println("ratis peer " + RatisSettings.peerId(index) + " started");
    stopped.await();
  }
}
