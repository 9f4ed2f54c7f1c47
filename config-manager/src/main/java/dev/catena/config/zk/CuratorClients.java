package dev.catena.config.zk;

import java.time.Duration;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.ExponentialBackoffRetry;

/**
 * Builds the Curator clients Catena uses: bounded exponential back-off (a lost connection makes a
 * call fail with {@link dev.catena.config.StoreUnavailableException} after a few retries rather
 * than hang), explicit session and connection timeouts. The caller starts and closes the client.
 */
public final class CuratorClients {
  /** Retries of one call after CONNECTION_LOSS before it fails. */
  public static final int MAX_RETRIES = 3;

  private CuratorClients() {}

  /**
   * @param connectString ZooKeeper servers, {@code host:port[,host:port...]}
   * @param sessionTimeout requested session timeout (the server may negotiate it into its bounds)
   * @param connectionTimeout how long one connection attempt may take
   */
  public static CuratorFramework newClient(
      String connectString, Duration sessionTimeout, Duration connectionTimeout) {
    return CuratorFrameworkFactory.builder()
        .connectString(connectString)
        .sessionTimeoutMs(Math.toIntExact(sessionTimeout.toMillis()))
        .connectionTimeoutMs(Math.toIntExact(connectionTimeout.toMillis()))
        .retryPolicy(new ExponentialBackoffRetry(100, MAX_RETRIES))
        .build();
  }
}
