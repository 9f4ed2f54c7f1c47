package dev.catena.client;

/**
 * One entry of a listing.
 *
 * @param key the key
 * @param size length in bytes
 * @param etag lowercase hex MD5 of the object
 * @param createdAtMillis time of the put, milliseconds since the epoch
 */
public record ObjectSummary(String key, long size, String etag, long createdAtMillis) {}
