package dev.catena.chain.runtime;

import dev.catena.proto.v1.WriteResult;

/** A client write waiting for commit ({@link NodeRuntime#submitWrite}). */
public non-sealed interface WriteCall extends ClientCall {
  /** The write committed with this result. */
  void committed(WriteResult result);
}
