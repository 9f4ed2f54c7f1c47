package dev.catena.s3;

import dev.catena.client.Bucket;
import dev.catena.client.CatenaClient;
import dev.catena.client.ListOptions;
import dev.catena.client.ObjectContent;
import dev.catena.client.ObjectListing;
import dev.catena.client.ObjectMetadata;
import dev.catena.client.PutOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.S3Exceptions;
import org.gaul.s3proxy.blobstore.SdkRequests;
import org.gaul.s3proxy.blobstore.SdkResponses;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * s3proxy's {@link BlobStore} over {@link CatenaClient} (DESIGN §10): the only class that knows
 * both. Buckets are Catena buckets; an object is a Catena object whose manifest carries the S3
 * content headers ({@link StoredHeaders}); ETags are the manifest's MD5 (multipart: MD5 of the
 * parts' MD5s with {@code -N}). Puts stream into chunks (memory bounded by the client's chunk size
 * × parallelism, never by the object), gets stream chunk by chunk with single ranges mapped onto
 * Catena's ranged reads. Listings with a delimiter are computed by {@link DelimitedListing};
 * multipart uploads by {@link MultipartUploads}, whose complete is a metadata operation. Every
 * Catena error becomes an S3 error ({@link S3Errors}).
 *
 * <p>Not supported (answered as s3proxy answers an unsupported store): versioning, ACLs other than
 * private, server-side encryption, conditional writes ({@code If-Match} / {@code If-None-Match} on
 * PUT: Catena has no compare-and-set put).
 */
public final class CatenaBlobStore implements BlobStore {
  /** Smallest part S3 accepts except the last; s3proxy enforces it at complete. */
  static final long MIN_PART_SIZE = 5L << 20;

  private final CatenaClient client;
  private final MultipartUploads uploads;

  public CatenaBlobStore(CatenaClient client) {
    this.client = client;
    this.uploads = new MultipartUploads(client);
  }

  // ---- buckets -----------------------------------------------------------------------------

  @Override
  public ListBucketsResponse list() {
    List<Bucket> buckets = call(client::listBuckets, null, null);
    var out = new ArrayList<software.amazon.awssdk.services.s3.model.Bucket>();
    for (Bucket b : buckets) {
      if (!MultipartUploads.STAGING_BUCKET.equals(b.name())) {
        out.add(SdkResponses.bucket(b.name(), Instant.ofEpochMilli(b.createdAtMillis())));
      }
    }
    return ListBucketsResponse.builder().buckets(out).build();
  }

  @Override
  public HeadBucketResponse headBucket(HeadBucketRequest request) {
    String bucket = request.bucket();
    requireUserBucket(bucket);
    // A listing of one key is the cheapest request that checks the bucket.
    call(() -> client.listObjects(bucket, ListOptions.ALL.withMaxKeys(1)), bucket, null);
    return HeadBucketResponse.builder().build();
  }

  @Override
  public CreateBucketResponse createContainer(CreateBucketRequest request) {
    String bucket = request.bucket();
    if (MultipartUploads.STAGING_BUCKET.equals(bucket)) {
      throw S3Errors.error(400, "InvalidBucketName", "the bucket name is reserved", null);
    }
    try {
      client.createBucket(bucket);
    } catch (RuntimeException e) {
      RuntimeException s3 = S3Errors.translate(e, bucket, null);
      if (s3 instanceof S3Exception x
          && "InvalidArgument".equals(x.awsErrorDetails().errorCode())) {
        // Catena refused the name (S3's naming rules): S3 calls that InvalidBucketName
        throw S3Errors.error(400, "InvalidBucketName", x.awsErrorDetails().errorMessage(), e);
      }
      throw s3;
    }
    return CreateBucketResponse.builder().location("/" + bucket).build();
  }

  @Override
  public BucketCannedACL getContainerAccess(String container) {
    requireUserBucket(container);
    return BucketCannedACL.PRIVATE;
  }

  @Override
  public void setContainerAccess(String container, BucketCannedACL access) {
    if (access != BucketCannedACL.PRIVATE) {
      throw new UnsupportedOperationException("only private buckets");
    }
  }

  @Override
  public void deleteBucket(String container) {
    requireUserBucket(container);
    if (!uploads.list(container).isEmpty()) {
      throw S3Exceptions.bucketNotEmpty(container);
    }
    try {
      client.deleteBucket(container);
    } catch (dev.catena.client.NoSuchBucketException e) {
      // S3Proxy asks containerExists separately; deleting an absent bucket succeeds quietly.
    } catch (RuntimeException e) {
      throw S3Errors.translate(e, container, null);
    }
  }

  // ---- listing -----------------------------------------------------------------------------

  @Override
  public ListObjectsV2Response list(ListObjectsV2Request request) {
    String bucket = request.bucket();
    requireUserBucket(bucket);
    String marker =
        request.continuationToken() != null
            ? decodeToken(request.continuationToken())
            : request.startAfter() == null ? "" : request.startAfter();
    int maxKeys = request.maxKeys() == null ? 1000 : Math.min(request.maxKeys(), 1000);
    DelimitedListing.Result r =
        call(
            () ->
                DelimitedListing.list(
                    (prefix, after, max) -> fetch(bucket, prefix, after, max),
                    request.prefix(),
                    request.delimiter(),
                    marker,
                    maxKeys),
            bucket,
            null);
    List<S3Object> contents =
        r.objects().stream()
            .map(
                s ->
                    SdkResponses.objectEntry(
                        s.key(),
                        quote(s.etag()),
                        Instant.ofEpochMilli(s.createdAtMillis()),
                        s.size(),
                        null))
            .toList();
    List<CommonPrefix> prefixes =
        r.commonPrefixes().stream().map(SdkResponses::commonPrefix).toList();
    return SdkResponses.objectsPage(
        contents, prefixes, r.nextMarker().map(CatenaBlobStore::encodeToken).orElse(null));
  }

  private DelimitedListing.Page fetch(String bucket, String prefix, String after, int max) {
    ObjectListing page =
        client.listObjects(
            bucket, new ListOptions(prefix, after, Optional.empty(), Math.min(max, 1000)));
    return new DelimitedListing.Page(page.objects(), page.truncated());
  }

  /** Continuation tokens are base64url of the last entry of the page (opaque to clients). */
  static String encodeToken(String marker) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(marker.getBytes(StandardCharsets.UTF_8));
  }

  static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw S3Errors.error(400, "InvalidArgument", "The continuation token is not valid.", e);
    }
  }

  // ---- objects -----------------------------------------------------------------------------

  @Override
  public PutObjectResponse putBlob(PutObjectRequest request, InputStream payload) {
    String bucket = request.bucket();
    String key = request.key();
    requireUserBucket(bucket);
    if (request.ifMatch() != null || request.ifNoneMatch() != null) {
      throw new UnsupportedOperationException("conditional writes are not supported");
    }
    long length = request.contentLength() == null ? -1 : request.contentLength();
    InputStream body = payload;
    if (request.contentMD5() != null) {
      byte[] md5 = decodeMd5(request.contentMD5());
      body = new Md5CheckingInputStream(payload, md5, length);
    }
    var headers = StoredHeaders.fromRequest(request);
    PutOptions options = putOptions(request.contentType(), headers);
    InputStream in = body;
    try (payload) {
      ObjectMetadata m =
          call(() -> client.putObject(bucket, key, in, length, options), bucket, key);
      if (request.contentMD5() != null && length == 0) {
        checkEmptyMd5(request.contentMD5());
      }
      return SdkResponses.putResponse(quote(m.etag()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static PutOptions putOptions(String contentType, StoredHeaders headers) {
    return new PutOptions(
        contentType == null ? "binary/octet-stream" : contentType, headers.toManifestMetadata());
  }

  private static byte[] decodeMd5(String base64) {
    try {
      byte[] md5 = Base64.getDecoder().decode(base64);
      if (md5.length != 16) {
        throw S3Errors.error(
            400, "InvalidDigest", "The Content-MD5 you specified is not valid.", null);
      }
      return md5;
    } catch (IllegalArgumentException e) {
      throw S3Errors.error(400, "InvalidDigest", "The Content-MD5 you specified is not valid.", e);
    }
  }

  private static void checkEmptyMd5(String base64) {
    if (!"1B2M2Y8AsgTpgAmY7PhCfg==".equals(base64)) {
      throw S3Errors.badDigest();
    }
  }

  @Override
  public CopyObjectResponse copyBlob(CopyObjectRequest request) {
    String srcBucket = request.sourceBucket();
    String srcKey = request.sourceKey();
    requireUserBucket(srcBucket);
    requireUserBucket(request.destinationBucket());
    if (request.sourceVersionId() != null) {
      throw new UnsupportedOperationException("versioning not supported");
    }
    ObjectContent src = call(() -> client.getObject(srcBucket, srcKey), srcBucket, srcKey);
    try (src) {
      ObjectMetadata sm = src.metadata();
      Conditions.checkCopySource(request, quote(sm.etag()), lastModified(sm));
      PutOptions options;
      if (request.metadataDirective() == MetadataDirective.REPLACE) {
        options = putOptions(request.contentType(), StoredHeaders.fromRequest(request));
      } else {
        options = new PutOptions(sm.contentType(), sm.userMetadata());
      }
      ObjectMetadata m =
          call(
              () ->
                  client.putObject(
                      request.destinationBucket(),
                      request.destinationKey(),
                      src.stream(),
                      sm.size(),
                      options),
              request.destinationBucket(),
              request.destinationKey());
      return SdkResponses.copyResponse(quote(m.etag()), Instant.ofEpochMilli(m.createdAtMillis()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
    if (request.versionId() != null) {
      throw new UnsupportedOperationException("versioning not supported");
    }
    String bucket = request.bucket();
    requireUserBucket(bucket);
    ObjectMetadata m = call(() -> client.headObject(bucket, request.key()), bucket, request.key());
    return SdkResponses.toHead(response(m, m.size(), null));
  }

  @Override
  public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
    if (request.versionId() != null) {
      throw new UnsupportedOperationException("versioning not supported");
    }
    String bucket = request.bucket();
    String key = request.key();
    requireUserBucket(bucket);
    SdkRequests.ByteRange range = SdkRequests.parseRange(request.range());
    long from = 0;
    long length = -1;
    if (range != null && range.first() == null) {
      // a suffix range needs the size first
      long size = call(() -> client.headObject(bucket, key), bucket, key).size();
      if (size == 0) {
        throw invalidRange();
      }
      from = Math.max(0, size - range.last());
    } else if (range != null) {
      from = range.first();
      if (range.last() != null) {
        if (range.last() < from) {
          throw invalidRange();
        }
        length = range.last() - from + 1;
      }
    }
    long offset = from;
    long n = length;
    ObjectContent c;
    try {
      c = client.getObject(bucket, key, offset, n);
    } catch (dev.catena.client.InvalidRequestException e) {
      throw invalidRange(); // the offset is at or beyond the end
    } catch (RuntimeException e) {
      throw S3Errors.translate(e, bucket, key);
    }
    ObjectMetadata m = c.metadata();
    try {
      if (range != null && m.size() == 0) {
        throw invalidRange();
      }
      Conditions.check(request, quote(m.etag()), lastModified(m));
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
    String contentRange =
        range == null
            ? null
            : "bytes " + c.offset() + "-" + (c.offset() + c.length() - 1) + "/" + m.size();
    return SdkResponses.getResponse(response(m, c.length(), contentRange), c.stream());
  }

  private static RuntimeException invalidRange() {
    return S3Errors.error(416, "InvalidRange", "The requested range is not satisfiable", null);
  }

  private static void closeQuietly(ObjectContent c) {
    try {
      c.close();
    } catch (IOException e) {
      // a stream not yet read: nothing to report
    }
  }

  static Instant lastModified(ObjectMetadata m) {
    return Instant.ofEpochMilli(m.createdAtMillis()).truncatedTo(ChronoUnit.SECONDS);
  }

  private static GetObjectResponse response(ObjectMetadata m, long length, String contentRange) {
    StoredHeaders h = StoredHeaders.fromManifestMetadata(m.userMetadata());
    return GetObjectResponse.builder()
        .metadata(h.userMetadata())
        .cacheControl(h.cacheControl())
        .contentDisposition(h.contentDisposition())
        .contentEncoding(h.contentEncoding())
        .contentLanguage(h.contentLanguage())
        .expires(h.expires() == null ? null : Instant.parse(h.expires()))
        .contentLength(length)
        .contentType(m.contentType())
        .eTag(quote(m.etag()))
        .lastModified(lastModified(m))
        .contentRange(contentRange)
        .build();
  }

  @Override
  public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
    if (request.versionId() != null) {
      throw new UnsupportedOperationException("versioning not supported");
    }
    if (request.ifMatch() != null) {
      throw new UnsupportedOperationException("conditional deletes are not supported");
    }
    requireUserBucket(request.bucket());
    call(
        () -> {
          client.deleteObject(request.bucket(), request.key());
          return null;
        },
        request.bucket(),
        request.key());
    return DeleteObjectResponse.builder().build();
  }

  @Override
  public ObjectCannedACL getBlobAccess(String container, String name) {
    requireUserBucket(container);
    call(() -> client.headObject(container, name), container, name);
    return ObjectCannedACL.PRIVATE;
  }

  @Override
  public void setBlobAccess(String container, String name, ObjectCannedACL access) {
    if (access != ObjectCannedACL.PRIVATE) {
      throw new UnsupportedOperationException("only private objects");
    }
  }

  // ---- multipart ---------------------------------------------------------------------------

  @Override
  public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
    requireUserBucket(request.bucket());
    return uploads.initiate(request);
  }

  @Override
  public void abortMultipartUpload(MultipartUpload mpu) {
    uploads.abort(mpu);
  }

  @Override
  public CompleteMultipartUploadResponse completeMultipartUpload(
      MultipartUpload mpu, CompleteMultipartUploadRequest request) {
    return uploads.complete(mpu, request);
  }

  @Override
  public UploadPartResponse uploadMultipartPart(
      MultipartUpload mpu, UploadPartRequest request, InputStream is) {
    return uploads.uploadPart(mpu, request, is);
  }

  @Override
  public List<Part> listMultipartUpload(MultipartUpload mpu) {
    return uploads.parts(mpu);
  }

  @Override
  public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(
      String container) {
    requireUserBucket(container);
    return uploads.list(container);
  }

  @Override
  public long getMinimumMultipartPartSize() {
    return MIN_PART_SIZE;
  }

  // ---- helpers -----------------------------------------------------------------------------

  /** S3 ETags are quoted on the wire; Catena stores them bare. */
  static String quote(String etag) {
    return etag == null || etag.isEmpty() ? null : "\"" + etag + "\"";
  }

  private static void requireUserBucket(String bucket) {
    if (MultipartUploads.STAGING_BUCKET.equals(bucket)) {
      throw S3Exceptions.noSuchBucket(bucket, "reserved for multipart uploads");
    }
  }

  /** Runs a client call, mapping its failure to the S3 error. */
  static <T> T call(Supplier<T> op, String bucket, String key) {
    try {
      return op.get();
    } catch (RuntimeException e) {
      throw S3Errors.translate(e, bucket, key);
    }
  }
}
