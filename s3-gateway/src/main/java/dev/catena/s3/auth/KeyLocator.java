package dev.catena.s3.auth;

import java.lang.reflect.Proxy;
import java.util.Optional;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.BlobStoreLocator;
import org.gaul.s3proxy.blobstore.BlobStore;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Tells s3proxy, per request, which secret verifies the signature and which store serves it. An
 * unknown key id gets no grant (s3proxy answers {@code InvalidAccessKeyId}, 403). A known key gets
 * its secret, so a wrong signature is {@code SignatureDoesNotMatch} (403), and then: every bucket
 * if it may use every bucket; otherwise a {@link ScopedBlobStore} for its buckets, or for a bucket
 * it may not use a store that answers every call with {@code AccessDenied} (403).
 */
public final class KeyLocator implements BlobStoreLocator {
  private final AccessKeyDirectory keys;
  private final BlobStore store;
  private final BlobStore denied;

  public KeyLocator(AccessKeyDirectory keys, BlobStore store) {
    this.keys = keys;
    this.store = store;
    this.denied = deniedStore();
  }

  @Override
  public AccessGrant locateBlobStore(String identity, String container, String blob) {
    if (identity == null) {
      return null;
    }
    Optional<AccessKey> key = keys.find(identity);
    if (key.isEmpty()) {
      return null;
    }
    AccessKey k = key.get();
    if (k.allBuckets()) {
      return new AccessGrant(k.secret(), store);
    }
    if (container != null && !container.isEmpty() && !k.allows(container)) {
      return new AccessGrant(k.secret(), denied);
    }
    return new AccessGrant(k.secret(), new ScopedBlobStore(store, k));
  }

  /** 403 AccessDenied. */
  static S3Exception accessDenied() {
    return (S3Exception)
        S3Exception.builder()
            .message("Access Denied")
            .statusCode(403)
            .awsErrorDetails(
                AwsErrorDetails.builder()
                    .errorCode("AccessDenied")
                    .errorMessage("Access Denied")
                    .sdkHttpResponse(SdkHttpResponse.builder().statusCode(403).build())
                    .build())
            .build();
  }

  private static BlobStore deniedStore() {
    return (BlobStore)
        Proxy.newProxyInstance(
            BlobStore.class.getClassLoader(),
            new Class<?>[] {BlobStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("close")) {
                return null;
              }
              throw accessDenied();
            });
  }
}
