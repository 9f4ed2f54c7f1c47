package dev.catena.tests.s3;

import static org.awaitility.Awaitility.await;

import dev.catena.client.CatenaClient;
import dev.catena.s3.S3Gateway;
import dev.catena.s3.auth.SecretCipher;
import dev.catena.s3.zk.ZkAccessKeys;
import dev.catena.tests.cluster.InProcessCluster;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * A real Catena cluster in this JVM ({@link InProcessCluster}: ZooKeeper, a manager, three storage
 * nodes) with an S3 gateway in front, its access keys in that ZooKeeper (secrets sealed with a
 * cluster key file in the test's directory), and an AWS SDK v2 client factory. The key {@link
 * #ADMIN_ID} may use every bucket.
 */
final class S3Fixture implements AutoCloseable {
  static final String ADMIN_ID = "admin";
  static final String ADMIN_SECRET = "admin-secret-0123456789";

  final InProcessCluster cluster;
  final CatenaClient client;
  final CuratorFramework curator;
  final ZkAccessKeys keys;
  final S3Gateway gateway;

  S3Fixture(Path dir, Duration requestTimeout) throws Exception {
    cluster =
        InProcessCluster.builder().nodes(3).chainLength(3).dataDir(dir.resolve("cluster")).start();
    cluster.awaitReady();
    client = cluster.clientBuilder().requestTimeout(requestTimeout).build();
    curator =
        CuratorFrameworkFactory.newClient(
            cluster.connectString(), 10_000, 5_000, new ExponentialBackoffRetry(50, 5));
    curator.start();
    Path keyFile = dir.resolve("cluster.key");
    SecretCipher.createKeyFile(keyFile, new SecureRandom());
    keys =
        new ZkAccessKeys(
                curator, cluster.clusterName(), SecretCipher.fromFile(keyFile), Clock.systemUTC())
            .start();
    createKey(ADMIN_ID, ADMIN_SECRET, List.of("*"));
    gateway = S3Gateway.start(client, keys, "127.0.0.1", 0);
  }

  /** Creates a key and waits until the gateway's cache has it. */
  void createKey(String id, String secret, List<String> buckets) throws Exception {
    keys.create(id, secret, buckets);
    await("key " + id + " cached")
        .atMost(Duration.ofSeconds(10))
        .until(() -> keys.find(id).isPresent());
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + gateway.port());
  }

  S3Client s3() {
    return s3(ADMIN_ID, ADMIN_SECRET);
  }

  S3Client s3(String id, String secret) {
    return S3Client.builder()
        .endpointOverride(endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(id, secret)))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
  }

  @Override
  public void close() throws Exception {
    gateway.close();
    keys.close();
    curator.close();
    client.close();
    cluster.close();
  }
}
