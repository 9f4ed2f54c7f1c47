package dev.catena.deploy.dashboard;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The last {@code capacity} samples of every node's rates, for the dashboard's charts: one tick per
 * sample of the whole cluster, so that all nodes share one time axis. Pure and bounded; not
 * thread-safe (the dashboard's sampler thread owns it).
 */
final class RateHistory {
  /**
   * One sample of the cluster.
   *
   * @param atMillis wall-clock time of the sample (the charts' x axis)
   * @param rates the rates of every node that had rates then
   */
  record Tick(long atMillis, Map<String, RateSampler.Rates> rates) {
    Tick {
      rates = Map.copyOf(rates);
    }
  }

  private final int capacity;
  private final ArrayDeque<Tick> ticks = new ArrayDeque<>();

  RateHistory(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive, not " + capacity);
    }
    this.capacity = capacity;
  }

  /** Appends a sample, dropping the oldest one beyond the capacity. */
  void append(long atMillis, Map<String, RateSampler.Rates> rates) {
    ticks.addLast(new Tick(atMillis, rates));
    while (ticks.size() > capacity) {
      ticks.removeFirst();
    }
  }

  /** The kept samples, oldest first. */
  List<Tick> ticks() {
    return List.copyOf(ticks);
  }

  /** Every node that has rates in some kept sample, sorted. */
  List<String> nodes() {
    var all = new TreeSet<String>();
    ticks.forEach(t -> all.addAll(t.rates().keySet()));
    return List.copyOf(all);
  }
}
