package dev.catena.client.impl;

import dev.catena.proto.v1.RequestId;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Exactly-once request identities of one client instance (DESIGN §4 invariant 8): a random client
 * id and a request seq that only grows. A request keeps its seq for all its retries; while it is
 * outstanding, {@link #ackedBelow()} stays at or below it, so the servers keep its dedup record.
 * Once it is answered (or abandoned), {@link #finish(long)} lets the mark move past it and the
 * servers may forget it. Thread-safe.
 */
public final class RequestIds {
  private final String clientId;
  private final TreeSet<Long> outstanding = new TreeSet<>();
  private long nextSeq = 1;

  public RequestIds(String clientId) {
    if (clientId == null || clientId.isEmpty()) {
      throw new IllegalArgumentException("empty client id");
    }
    this.clientId = clientId;
  }

  /** A client with a random UUID as its id. */
  public static RequestIds random() {
    return new RequestIds(UUID.randomUUID().toString());
  }

  public String clientId() {
    return clientId;
  }

  /** Allocates the seq of a new request and marks it outstanding. */
  public synchronized long begin() {
    long seq = nextSeq++;
    outstanding.add(seq);
    return seq;
  }

  /** Marks a request answered (successfully or not); it will not be sent again. */
  public synchronized void finish(long seq) {
    outstanding.remove(seq);
  }

  /**
   * The lowest seq still outstanding, or the next seq if none: every request below it has been
   * answered.
   */
  public synchronized long ackedBelow() {
    return outstanding.isEmpty() ? nextSeq : outstanding.first();
  }

  /** The wire identity of request {@code seq}, carrying the current acked-below mark. */
  public RequestId idOf(long seq) {
    return RequestId.newBuilder()
        .setClientId(clientId)
        .setRequestSeq(seq)
        .setAckedBelow(ackedBelow())
        .build();
  }

  /** Number of outstanding requests. */
  public synchronized int outstandingCount() {
    return outstanding.size();
  }
}
