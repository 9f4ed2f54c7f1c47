package dev.catena.chain.runtime;

/** A client read waiting until the tail may serve it ({@link NodeRuntime#submitRead}). */
public non-sealed interface ReadCall extends ClientCall {
  /**
   * The read may be served: {@code reads} show the node's records as of the instant the protocol
   * decided so on the event loop, when they held exactly the committed state for the key (later
   * writes, committed or not, are not seen). Called on a reader thread, never the event loop; the
   * implementation reads before returning ({@code reads} are released then) or hands off reads of
   * immutable content, such as chunk bytes.
   */
  void serve(ChainStateReads reads);
}
