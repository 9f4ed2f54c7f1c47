package dev.catena.s3;

import dev.catena.client.CatenaClient;
import dev.catena.s3.auth.AccessKeyDirectory;
import dev.catena.s3.auth.KeyLocator;
import java.net.URI;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * A running S3 endpoint: s3proxy's HTTP front end (SigV2/SigV4 incl. presigned URLs and aws-chunked
 * bodies, XML, ListObjects, multipart validation) over a {@link CatenaBlobStore}, authenticating
 * every request with keys from an {@link AccessKeyDirectory}. Several gateways may serve one
 * cluster: they share nothing but Catena and ZooKeeper. Closing it stops the listener; the client
 * stays the caller's.
 */
public final class S3Gateway implements AutoCloseable {
  /**
   * Largest body s3proxy buffers to check a payload hash signed up front (non-chunked SigV4);
   * larger ones must be sent aws-chunked or unsigned, as the SDKs and CLIs do. Bounds the memory a
   * request can hold (s3proxy's default is 128 MiB).
   */
  public static final long MAX_NON_CHUNKED_BODY = 16L << 20;

  private final S3Proxy proxy;

  private S3Gateway(S3Proxy proxy) {
    this.proxy = proxy;
  }

  /**
   * Starts a gateway listening on {@code host:port} ({@code port} 0 = any free port).
   *
   * @throws Exception if the listener cannot start (e.g. the port is taken)
   */
  public static S3Gateway start(CatenaClient client, AccessKeyDirectory keys, String host, int port)
      throws Exception {
    var store = new CatenaBlobStore(client);
    S3Proxy proxy =
        S3Proxy.builder()
            .blobStore(store)
            .endpoint(URI.create("http://" + host + ":" + port))
            // s3proxy wants one static identity; the locator below replaces it for every request.
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "unused", "unused")
            .v4MaxNonChunkedRequestSize(MAX_NON_CHUNKED_BODY)
            .stopTimeout(5_000)
            .build();
    // s3proxy sorts completion parts itself; the filter keeps the client's order for the store.
    ProxyFilters.install(proxy, new CompletionRequestFilter());
    proxy.setBlobStoreLocator(new KeyLocator(keys, store));
    proxy.start();
    return new S3Gateway(proxy);
  }

  /** The port it listens on. */
  public int port() {
    return proxy.getPort();
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
  }
}
