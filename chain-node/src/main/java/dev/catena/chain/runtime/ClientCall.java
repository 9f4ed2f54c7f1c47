package dev.catena.chain.runtime;

import dev.catena.proto.v1.CatenaError;
import dev.catena.proto.v1.WriteResult;

/**
 * A client call waiting inside the runtime for the protocol's verdict. For a write exactly one of
 * {@link #committed} or {@link #failed} is invoked; for a read exactly one of {@link #serve} or
 * {@link #failed}. Invoked once, on the event-loop thread; implementations must not block.
 */
public interface ClientCall {
  /** The write committed with this result. */
  void committed(WriteResult result);

  /**
   * The read may be served now: local storage holds exactly the committed state for the key. Called
   * on the event-loop thread; the implementation reads storage before returning.
   */
  void serve();

  /** The call failed with a typed error. */
  void failed(CatenaError error);
}
