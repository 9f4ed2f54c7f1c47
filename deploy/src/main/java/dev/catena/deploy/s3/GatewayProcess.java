package dev.catena.deploy.s3;

import dev.catena.client.CatenaClient;
import dev.catena.s3.S3Gateway;
import dev.catena.s3.auth.AccessKey;
import dev.catena.s3.auth.SecretCipher;
import dev.catena.s3.zk.ZkAccessKeys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An S3 gateway serving one cluster (composition root): the cluster key from its file, the access
 * keys from ZooKeeper, a Catena client, and the gateway on {@code host:port}. Started in that
 * order, closed in reverse. Any number of gateways may serve one cluster.
 */
public final class GatewayProcess implements AutoCloseable {
  /**
   * Where the gateway runs.
   *
   * @param zk ZooKeeper connect string
   * @param cluster cluster name
   * @param keyFile the cluster key sealing the secrets (shared by every gateway and {@code catena
   *     s3 key})
   * @param host address to listen on
   * @param port port to listen on (0 = any free port)
   * @param createKeyFile whether a missing key file is created with a new random key (a local
   *     cluster) rather than refused (a gateway joining a cluster)
   */
  public record Options(
      String zk, String cluster, Path keyFile, String host, int port, boolean createKeyFile) {}

  private final ZkAccessKeys keys;
  private final CatenaClient client;
  private final S3Gateway gateway;
  private final String host;

  private GatewayProcess(ZkAccessKeys keys, CatenaClient client, S3Gateway gateway, String host) {
    this.keys = keys;
    this.client = client;
    this.gateway = gateway;
    this.host = host;
  }

  /** Starts a gateway. */
  public static GatewayProcess start(Options o) throws Exception {
    ZkAccessKeys keys =
        ZkAccessKeys.connect(
                o.zk(), o.cluster(), cipher(o.keyFile(), o.createKeyFile()), Duration.ofSeconds(15))
            .start();
    CatenaClient client = null;
    try {
      client =
          CatenaClient.builder()
              .zookeeper(o.zk())
              .cluster(o.cluster())
              .requestTimeout(Duration.ofSeconds(10))
              .build();
      return new GatewayProcess(
          keys, client, S3Gateway.start(client, keys, o.host(), o.port()), o.host());
    } catch (Exception | Error e) {
      if (client != null) {
        client.close();
      }
      keys.close();
      throw e;
    }
  }

  /**
   * The cipher of the cluster key in {@code keyFile}; with {@code create}, a missing file is first
   * created with a new random key.
   */
  public static SecretCipher cipher(Path keyFile, boolean create) throws IOException {
    if (!Files.exists(keyFile)) {
      if (!create) {
        throw new IOException(
            "no cluster key file "
                + keyFile
                + " (created by 'catena s3 key create'; every gateway needs the same file)");
      }
      SecretCipher.createKeyFile(keyFile, new SecureRandom());
    }
    return SecretCipher.fromFile(keyFile);
  }

  /**
   * The key {@code id} for every bucket, created with a random secret if it does not exist (for a
   * local cluster's ready-made credentials).
   */
  public AccessKey ensureKey(String id) throws Exception {
    Optional<AccessKey> k = keys.find(id);
    if (k.isPresent()) {
      return k.get();
    }
    if (keys.list().stream().anyMatch(r -> r.getAccessKeyId().equals(id))) {
      throw new IllegalStateException(
          "access key " + id + " exists but its secret does not open with this cluster key file");
    }
    String secret = AccessKey.generate(new SecureRandom(), Set.of(AccessKey.ALL_BUCKETS)).secret();
    return keys.create(id, secret, List.of(AccessKey.ALL_BUCKETS));
  }

  /** The endpoint URL clients use. */
  public String endpoint() {
    String h = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    return "http://" + h + ":" + gateway.port();
  }

  /** The port it listens on. */
  public int port() {
    return gateway.port();
  }

  /** Ready-to-paste shell lines that point the aws CLI at this gateway with {@code key}. */
  public String awsConfigureHint(AccessKey key) {
    return String.format(
        "export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY='%s' AWS_DEFAULT_REGION=us-east-1"
            + " AWS_ENDPOINT_URL=%s%n  then: aws s3 ls   (or: aws --endpoint-url %s s3 ls)",
        key.id(), key.secret(), endpoint(), endpoint());
  }

  @Override
  public void close() throws Exception {
    try {
      gateway.close();
    } finally {
      client.close();
      keys.close();
    }
  }
}
