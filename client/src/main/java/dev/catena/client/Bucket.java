package dev.catena.client;

/**
 * A bucket record as stored in the cluster configuration.
 *
 * @param name the bucket name (S3 naming rules)
 * @param createdAtMillis creation time, milliseconds since the epoch
 */
public record Bucket(String name, long createdAtMillis) {}
