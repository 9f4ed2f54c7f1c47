package dev.catena.chain.runtime;

import java.util.function.Consumer;

/**
 * What the node does when local storage fails (see {@link NodeRuntime}): latches the failure in the
 * {@link NodeFence} (set once, never cleared; only a restart brings the node back) and runs its
 * handler once, off the event loop, so the node's membership can close its ZooKeeper session and
 * the coordinator replaces the node at once.
 *
 * <p>Threading: {@link #trip} runs on the event loop; {@link #reason} may be read from any thread.
 */
final class FailStop {
  private final LoopScheduler loop;
  private final NodeFence fence;
  private volatile Consumer<String> handler = r -> {};

  FailStop(LoopScheduler loop, NodeFence fence) {
    this.loop = loop;
    this.fence = fence;
  }

  /** Sets what runs when storage fails; runs it at once if storage failed already. */
  void setHandler(Consumer<String> handler) {
    this.handler = handler;
    String failed = reason();
    if (failed != null) { // failed before anyone listened
      loop.executeBlocking(() -> handler.accept(failed));
    }
  }

  /** Why storage failed; null while it has not. */
  String reason() {
    return fence.storageFailure().orElse(null);
  }

  /**
   * Latches the failure.
   *
   * @return true if this call latched it (the first failure); false if it was latched already
   */
  boolean trip(String why) {
    if (!fence.storageFailed(why)) {
      return false;
    }
    Consumer<String> h = handler;
    loop.executeBlocking(() -> h.accept(why));
    return true;
  }
}
