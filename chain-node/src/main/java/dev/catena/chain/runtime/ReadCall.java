package dev.catena.chain.runtime;

/** A client read waiting until the tail may serve it ({@link NodeRuntime#submitRead}). */
public non-sealed interface ReadCall extends ClientCall {
  /**
   * The read may be served now: local storage holds exactly the committed state for the key. Called
   * on the event-loop thread; the implementation reads storage before returning (or hands off reads
   * of immutable content, such as chunk bytes).
   */
  void serve();
}
