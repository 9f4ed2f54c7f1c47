package dev.catena.tests.s3;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One S3 command-line program (aws CLI, s3cmd, rclone) driven against a gateway: each method runs
 * the program once (with its own configuration file, path-style addressing) and fails with the
 * program's output if it exits non-zero. Keys and prefixes are always full S3 keys, whatever the
 * program prints.
 */
interface CommandLineS3Client {
  /** The executable's name on {@code PATH}. */
  String command();

  /** The Debian package that installs it. */
  String debianPackage();

  /** Creates {@code bucket}. */
  void makeBucket(String bucket) throws Exception;

  /** Uploads {@code file} as {@code bucket/key} (multipart above the program's threshold). */
  void upload(Path file, String bucket, String key) throws Exception;

  /** Downloads {@code bucket/key} into {@code file}. */
  void download(String bucket, String key, Path file) throws Exception;

  /**
   * Makes {@code bucket/prefix} mirror {@code dir} ({@code prefix} ends with '/'); returns the keys
   * the program said it uploaded.
   */
  Set<String> syncUp(Path dir, String bucket, String prefix) throws Exception;

  /** Makes {@code dir} mirror {@code bucket/prefix} ({@code prefix} ends with '/'). */
  void syncDown(String bucket, String prefix, Path dir) throws Exception;

  /** One level of {@code bucket/prefix} as the program lists it ({@code prefix} ends with '/'). */
  Listing list(String bucket, String prefix) throws Exception;

  /** A presigned GET URL of {@code bucket/key} valid for {@code ttl}, if the program makes them. */
  Optional<URI> presign(String bucket, String key, Duration ttl) throws Exception;

  /** Deletes {@code bucket/key}. */
  void remove(String bucket, String key) throws Exception;

  /** Deletes every object of {@code bucket}, then the bucket. */
  void removeBucket(String bucket) throws Exception;

  /** A one-level listing: objects (full key → size) and common prefixes (full, ending in '/'). */
  record Listing(Map<String, Long> objects, Set<String> prefixes) {}
}
