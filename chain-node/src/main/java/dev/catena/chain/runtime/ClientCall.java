package dev.catena.chain.runtime;

import dev.catena.proto.v1.CatenaError;

/**
 * A call waiting inside the runtime for the protocol's verdict: a {@link WriteCall}, a {@link
 * ReadCall} or a successor's {@link SnapshotCall}. Exactly one verdict is delivered, once, on the
 * event-loop thread: the kind's own ({@code committed}, {@code serve}, {@code grant}) or {@link
 * #failed}. Implementations must not block.
 */
public sealed interface ClientCall permits WriteCall, ReadCall, SnapshotCall {
  /** The call failed with a typed error. */
  void failed(CatenaError error);
}
