package dev.catena.config;

import java.io.Closeable;
import java.util.concurrent.Executor;

/**
 * Election of the one active coordinator among many (DESIGN §6). ZooKeeper's is a Curator {@code
 * LeaderLatch} ({@code zk.ZkLeaderElection}); a simulation supplies its own.
 *
 * <p>Leadership is advisory, not a fence: a coordinator may lose it between {@link #hasLeadership}
 * and its next write. The store's compare-and-set writes are what keep a deposed coordinator from
 * corrupting the state.
 */
public interface LeaderElection extends Closeable {

  /** Learns when this participant gains or loses the leadership. */
  interface Listener {
    void isLeader();

    void notLeader();
  }

  /**
   * Joins the election.
   *
   * @param listener called on {@code executor} when leadership is gained or lost
   * @throws StoreUnavailableException if the election cannot be joined now
   */
  void start(Listener listener, Executor executor);

  /** True while this participant holds the leadership. */
  boolean hasLeadership();

  /** This participant's id. */
  String id();

  /** Leaves the election (another participant takes over); harmless if never started. */
  @Override
  void close();
}
