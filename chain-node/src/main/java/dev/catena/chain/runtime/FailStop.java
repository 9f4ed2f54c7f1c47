package dev.catena.chain.runtime;

import java.util.function.Consumer;

/**
 * The node's fail-stop latch for local storage (see {@link NodeRuntime}): set once, never cleared
 * (only a restart brings the node back); its handler runs once, off the event loop, so the node's
 * membership can close its ZooKeeper session and the coordinator replaces the node at once.
 *
 * <p>Threading: {@link #trip} runs on the event loop; {@link #reason} may be read from any thread.
 */
final class FailStop {
  private final LoopScheduler loop;
  private volatile String reason;
  private volatile Consumer<String> handler = r -> {};

  FailStop(LoopScheduler loop) {
    this.loop = loop;
  }

  /** Sets what runs when storage fails; runs it at once if storage failed already. */
  void setHandler(Consumer<String> handler) {
    this.handler = handler;
    String failed = reason;
    if (failed != null) { // failed before anyone listened
      loop.executeBlocking(() -> handler.accept(failed));
    }
  }

  /** Why storage failed; null while it has not. */
  String reason() {
    return reason;
  }

  /**
   * Latches the failure.
   *
   * @return true if this call latched it (the first failure); false if it was latched already
   */
  boolean trip(String why) {
    if (reason != null) {
      return false;
    }
    reason = why;
    Consumer<String> h = handler;
    loop.executeBlocking(() -> h.accept(why));
    return true;
  }
}
