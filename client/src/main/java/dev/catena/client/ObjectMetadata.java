package dev.catena.client;

import java.util.Map;

/**
 * What a head, get or put returns about one committed object version (its manifest without data).
 *
 * @param bucket the bucket
 * @param key the key
 * @param versionId unique id of this version (a random UUID chosen by the writer)
 * @param size length in bytes
 * @param etag lowercase hex MD5 of the whole object
 * @param contentType MIME type given at put
 * @param userMetadata user metadata given at put
 * @param createdAtMillis writer's wall-clock time of the put, milliseconds since the epoch
 * @param chunkCount 0 for an object stored inline in its manifest, else its number of chunks
 */
public record ObjectMetadata(
    String bucket,
    String key,
    String versionId,
    long size,
    String etag,
    String contentType,
    Map<String, String> userMetadata,
    long createdAtMillis,
    int chunkCount) {
  public ObjectMetadata {
    userMetadata = Map.copyOf(userMetadata);
  }
}
