package dev.catena.s3;

import dev.catena.client.BucketExistsException;
import dev.catena.client.CatenaClient;
import dev.catena.client.ListOptions;
import dev.catena.client.NoSuchKeyException;
import dev.catena.client.ObjectListing;
import dev.catena.client.ObjectMetadata;
import dev.catena.client.ObjectSummary;
import dev.catena.client.PutOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.gaul.s3proxy.blobstore.SdkResponses;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * S3 multipart uploads on Catena. State lives in the reserved bucket {@value #STAGING_BUCKET}
 * (hidden from bucket listings, refused as a name), so any gateway of the cluster can serve any
 * request of an upload:
 *
 * <ul>
 *   <li>{@code uploads/<bucket>/<uploadId>} — an empty object whose manifest holds the upload's key
 *       ({@value #KEY_META}), content type, user metadata and content headers;
 *   <li>{@code parts/<uploadId>/<partNumber, 5 digits>} — each part, an ordinary Catena object
 *       (streamed into chunks like any put; a re-sent part replaces the earlier one).
 * </ul>
 *
 * <p><b>Complete is a metadata operation</b>: {@link CatenaClient#composeObject} writes the final
 * manifest referencing the parts' chunks (no copy of part data; a last part of at most the inline
 * threshold is written once as a chunk), then the part objects and the record are deleted. Chunks
 * of aborted or replaced parts lose their last reference and are reclaimed by Catena's lazy chunk
 * garbage collection; the final object keeps its chunks referenced. The ETag is the MD5 of the
 * parts' MD5s with {@code -N}, as S3's.
 */
final class MultipartUploads {
  /** The reserved bucket holding upload records and parts. */
  static final String STAGING_BUCKET = "catena-s3-multipart";

  /** Manifest metadata name of an upload record's key (a colon: no S3 header can collide). */
  static final String KEY_META = ":upload:key";

  private static final java.util.regex.Pattern UPLOAD_ID =
      java.util.regex.Pattern.compile(
          "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final CatenaClient client;
  private volatile boolean stagingExists;

  MultipartUploads(CatenaClient client) {
    this.client = client;
  }

  MultipartUpload initiate(CreateMultipartUploadRequest request) {
    ensureStaging();
    String uploadId = UUID.randomUUID().toString();
    var headers = StoredHeaders.fromRequest(request);
    var meta = new TreeMap<>(headers.toManifestMetadata());
    meta.put(KEY_META, request.key());
    String contentType =
        request.contentType() == null ? "binary/octet-stream" : request.contentType();
    CatenaBlobStore.call(
        () ->
            client.putObject(
                STAGING_BUCKET,
                recordKey(request.bucket(), uploadId),
                new byte[0],
                new PutOptions(contentType, meta)),
        request.bucket(),
        request.key());
    return new MultipartUpload(uploadId, request);
  }

  UploadPartResponse uploadPart(MultipartUpload mpu, UploadPartRequest request, InputStream is) {
    record(mpu);
    long length = request.contentLength() == null ? -1 : request.contentLength();
    InputStream body = is;
    if (request.contentMD5() != null) {
      body =
          new Md5CheckingInputStream(
              is, java.util.Base64.getDecoder().decode(request.contentMD5()), length);
    }
    InputStream in = body;
    try (is) {
      ObjectMetadata m =
          CatenaBlobStore.call(
              () ->
                  client.putObject(
                      STAGING_BUCKET,
                      partKey(mpu.id(), request.partNumber()),
                      in,
                      length,
                      PutOptions.DEFAULT),
              mpu.containerName(),
              mpu.blobName());
      return SdkResponses.uploadedPart(CatenaBlobStore.quote(m.etag()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The upload's parts. Called by s3proxy for ListParts and, on the request's thread, to check a
   * completion: a completion of an upload no longer recorded gets no parts (see below); one whose
   * part list was out of order ({@link CompletionRequestFilter#partsOutOfOrder()}) is refused here,
   * once the upload is known to exist.
   */
  List<Part> parts(MultipartUpload mpu) {
    try {
      record(mpu);
    } catch (NoSuchUploadException e) {
      if (CompletionRequestFilter.servingCompletion()) {
        // A completion repeated after it succeeded (a client retrying a lost reply): with no
        // parts s3proxy answers 200 if the object's ETag is the one these parts make (S3's
        // answer to a repeated completion), NoSuchUpload otherwise.
        return List.of();
      }
      throw e;
    }
    if (CompletionRequestFilter.partsOutOfOrder()) {
      throw S3Errors.error(
          400,
          "InvalidPartOrder",
          "The list of parts was not in ascending order. Parts must be ordered by part number.",
          null);
    }
    var out = new ArrayList<Part>();
    String prefix = "parts/" + mpu.id() + "/";
    for (ObjectSummary s : listAll(prefix)) {
      int partNumber = Integer.parseInt(s.key().substring(prefix.length()));
      out.add(
          SdkResponses.part(
              partNumber,
              s.size(),
              CatenaBlobStore.quote(s.etag()),
              Instant.ofEpochMilli(s.createdAtMillis())));
    }
    return out; // keys are zero-padded, so key order is part-number order
  }

  CompleteMultipartUploadResponse complete(
      MultipartUpload mpu, CompleteMultipartUploadRequest request) {
    ObjectMetadata record = record(mpu);
    List<CompletedPart> completed =
        request.multipartUpload() == null ? List.of() : request.multipartUpload().parts();
    List<CompletableFuture<ObjectMetadata>> heads = new ArrayList<>();
    for (CompletedPart p : completed) {
      heads.add(client.headObjectAsync(STAGING_BUCKET, partKey(mpu.id(), p.partNumber())));
    }
    List<ObjectMetadata> parts = new ArrayList<>();
    MessageDigest md5 = md5();
    for (int i = 0; i < heads.size(); i++) {
      CompletableFuture<ObjectMetadata> h = heads.get(i);
      ObjectMetadata part;
      try {
        part = CatenaBlobStore.call(() -> CatenaClient.await(h), mpu.containerName(), null);
      } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
        throw S3Errors.error(400, "InvalidPart", "part " + completed.get(i).partNumber(), e);
      }
      parts.add(part);
      md5.update(HexFormat.of().parseHex(part.etag()));
    }
    String etag = HexFormat.of().formatHex(md5.digest()) + "-" + parts.size();
    var meta = new TreeMap<>(record.userMetadata());
    meta.remove(KEY_META);
    PutOptions options = new PutOptions(record.contentType(), meta);
    CatenaBlobStore.call(
        () -> client.composeObject(mpu.containerName(), mpu.blobName(), parts, etag, options),
        mpu.containerName(),
        mpu.blobName());
    discard(mpu);
    return SdkResponses.completeResponse(CatenaBlobStore.quote(etag));
  }

  void abort(MultipartUpload mpu) {
    record(mpu);
    discard(mpu);
  }

  List<software.amazon.awssdk.services.s3.model.MultipartUpload> list(String bucket) {
    if (!stagingExists && !stagingPresent()) {
      return List.of();
    }
    var out = new ArrayList<software.amazon.awssdk.services.s3.model.MultipartUpload>();
    String prefix = "uploads/" + bucket + "/";
    for (ObjectSummary s : listAll(prefix)) {
      String uploadId = s.key().substring(prefix.length());
      try {
        ObjectMetadata m = client.headObject(STAGING_BUCKET, s.key());
        out.add(
            SdkResponses.upload(
                m.userMetadata().get(KEY_META),
                uploadId,
                Instant.ofEpochMilli(m.createdAtMillis())));
      } catch (NoSuchKeyException e) {
        // completed or aborted meanwhile
      } catch (RuntimeException e) {
        throw S3Errors.translate(e, bucket, null);
      }
    }
    return out;
  }

  /** Deletes the parts (all of them, used or not) and then the record. */
  private void discard(MultipartUpload mpu) {
    for (ObjectSummary s : listAll("parts/" + mpu.id() + "/")) {
      CatenaBlobStore.call(
          () -> {
            client.deleteObject(STAGING_BUCKET, s.key());
            return null;
          },
          mpu.containerName(),
          null);
    }
    CatenaBlobStore.call(
        () -> {
          client.deleteObject(STAGING_BUCKET, recordKey(mpu.containerName(), mpu.id()));
          return null;
        },
        mpu.containerName(),
        null);
  }

  /** The upload's record; NoSuchUpload unless it exists for this bucket and key. */
  private ObjectMetadata record(MultipartUpload mpu) {
    if (!UPLOAD_ID.matcher(mpu.id()).matches()) {
      throw S3Errors.noSuchUpload(mpu.id());
    }
    try {
      ObjectMetadata m =
          client.headObject(STAGING_BUCKET, recordKey(mpu.containerName(), mpu.id()));
      if (!mpu.blobName().equals(m.userMetadata().get(KEY_META))) {
        throw S3Errors.noSuchUpload(mpu.id());
      }
      return m;
    } catch (NoSuchKeyException | dev.catena.client.NoSuchBucketException e) {
      throw S3Errors.noSuchUpload(mpu.id());
    } catch (RuntimeException e) {
      throw S3Errors.translate(e, mpu.containerName(), mpu.blobName());
    }
  }

  private List<ObjectSummary> listAll(String prefix) {
    var out = new ArrayList<ObjectSummary>();
    ListOptions o = ListOptions.prefix(prefix);
    while (true) {
      ListOptions page = o;
      ObjectListing l =
          CatenaBlobStore.call(() -> client.listObjects(STAGING_BUCKET, page), null, null);
      out.addAll(l.objects());
      if (!l.truncated()) {
        return out;
      }
      o = o.next(l);
    }
  }

  private void ensureStaging() {
    if (stagingExists) {
      return;
    }
    try {
      client.createBucket(STAGING_BUCKET);
    } catch (BucketExistsException e) {
      // created by this or another gateway
    } catch (RuntimeException e) {
      throw S3Errors.translate(e, STAGING_BUCKET, null);
    }
    stagingExists = true;
  }

  private boolean stagingPresent() {
    boolean present =
        CatenaBlobStore.call(client::listBuckets, STAGING_BUCKET, null).stream()
            .anyMatch(b -> b.name().equals(STAGING_BUCKET));
    stagingExists = present;
    return present;
  }

  static String recordKey(String bucket, String uploadId) {
    return "uploads/" + bucket + "/" + uploadId;
  }

  static String partKey(String uploadId, int partNumber) {
    return "parts/" + uploadId + "/" + String.format("%05d", partNumber);
  }

  private static MessageDigest md5() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has MD5", e);
    }
  }
}
