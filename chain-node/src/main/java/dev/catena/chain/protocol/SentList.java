package dev.catena.chain.protocol;

import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A replica's Sent list (CR §3): the writes it holds but has not yet passed upstream, by seq, with
 * their total encoded size. The size bounds the in-flight window in bytes as well as in writes: one
 * write may carry a 16 MiB chunk, so a count alone does not bound the memory a chain pins.
 *
 * <p>Pure and single-threaded, like {@link ChainReplica}, which owns it.
 */
final class SentList {
  private final TreeMap<Long, PendingWrite> bySeq = new TreeMap<>();
  private long bytes;

  /** Holds {@code write} at {@code seq} (replacing what was there). */
  void add(long seq, PendingWrite write) {
    PendingWrite old = bySeq.put(seq, write);
    if (old != null) {
      bytes -= old.size;
    }
    bytes += write.size;
  }

  /** The write held at {@code seq}, or {@code null}. */
  PendingWrite get(long seq) {
    return bySeq.get(seq);
  }

  /** Every write held, in seq order. */
  Collection<PendingWrite> writes() {
    return bySeq.values();
  }

  /** The writes after {@code seq}, in order (a read-only view). */
  NavigableMap<Long, PendingWrite> after(long seq) {
    return java.util.Collections.unmodifiableNavigableMap(bySeq.tailMap(seq, false));
  }

  /** The writes in {@code (afterSeq, throughSeq]}, in order (a read-only view). */
  NavigableMap<Long, PendingWrite> range(long afterSeq, long throughSeq) {
    return java.util.Collections.unmodifiableNavigableMap(
        bySeq.subMap(afterSeq, false, throughSeq, true));
  }

  /** Drops every write at or below {@code seq}. */
  void dropThrough(long seq) {
    NavigableMap<Long, PendingWrite> head = bySeq.headMap(seq, true);
    for (PendingWrite w : head.values()) {
      bytes -= w.size;
    }
    head.clear();
  }

  /** Drops everything. */
  void clear() {
    bySeq.clear();
    bytes = 0;
  }

  int size() {
    return bySeq.size();
  }

  /** The encoded size of the writes held, in bytes. */
  long bytes() {
    return bytes;
  }

  boolean isEmpty() {
    return bySeq.isEmpty();
  }

  /** The lowest seq held; the list must not be empty. */
  long firstSeq() {
    return bySeq.firstKey();
  }

  /** The seqs held, in order. */
  List<Long> seqs() {
    return List.copyOf(bySeq.keySet());
  }
}
