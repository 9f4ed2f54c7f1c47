package dev.catena.tests.bench.compare;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One system under test as the load generator sees it: asynchronous puts and gets of whole values
 * by key, which server process serves a read of a key (for the per-node read limit), and the server
 * processes whose CPU is counted. Keys are given by number; the target maps numbers to its own key
 * names (so that, for example, a one-chain configuration uses only keys of that chain).
 */
public interface BenchTarget extends AutoCloseable {
  /** The configuration this target measures. */
  SystemConfig config();

  /** Stores {@code value} under small key {@code i} (or large key {@code i}). */
  CompletableFuture<?> put(int i, boolean large, byte[] value);

  /** Reads small (or large) key {@code i}; completes once every byte has been received. */
  CompletableFuture<?> get(int i, boolean large);

  /** The server process that answers a get of key {@code i} (its id in {@link #serverPids()}). */
  String readServer(int i, boolean large);

  /** Re-reads routing state (chain tails, Raft leader) before a phase. */
  void refreshRouting();

  /** The server processes of this configuration: id → OS pid. */
  Map<String, Long> serverPids();

  @Override
  void close();
}
