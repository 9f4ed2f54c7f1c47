package dev.catena.s3.auth;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;

/**
 * The store as a key limited to some buckets sees it: the bucket list shows only its buckets, and
 * the calls that can name a second bucket (a copy's source, reads s3proxy makes for a streamed part
 * copy, a create) are checked too. Requests addressed to a bucket the key may not use never reach
 * this store ({@link KeyLocator} routes them to a store that refuses everything).
 */
final class ScopedBlobStore extends ForwardingBlobStore {
  private final AccessKey key;

  ScopedBlobStore(BlobStore delegate, AccessKey key) {
    super(delegate);
    this.key = key;
  }

  private void check(String bucket) {
    if (bucket != null && !key.allows(bucket)) {
      throw KeyLocator.accessDenied();
    }
  }

  @Override
  public ListBucketsResponse list() {
    ListBucketsResponse all = delegate().list();
    return all.toBuilder()
        .buckets(all.buckets().stream().filter(b -> key.allows(b.name())).toList())
        .build();
  }

  @Override
  public CreateBucketResponse createContainer(CreateBucketRequest request) {
    check(request.bucket());
    return delegate().createContainer(request);
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    check(request.sourceBucket());
    check(request.destinationBucket());
    return delegate().copyBlob(request);
  }

  @Override
  public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
    check(request.bucket());
    return delegate().getBlob(request);
  }

  @Override
  public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
    check(request.bucket());
    return delegate().blobMetadata(request);
  }
}
