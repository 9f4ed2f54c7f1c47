package dev.catena.chain.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * The last request of one client on one chain and its result (DESIGN §4 invariant 8: the dedup
 * record is part of the replicated write). Stored in the same atomic batch as the write's data.
 */
public record DedupRecord(String clientId, long requestSeq, byte[] result) {
  public DedupRecord {
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(result, "result");
    if (clientId.isEmpty()) {
      throw new IllegalArgumentException("clientId must not be empty");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DedupRecord d
        && clientId.equals(d.clientId)
        && requestSeq == d.requestSeq
        && Arrays.equals(result, d.result);
  }

  @Override
  public int hashCode() {
    return Objects.hash(clientId, requestSeq, Arrays.hashCode(result));
  }

  @Override
  public String toString() {
    return "DedupRecord[clientId="
        + clientId
        + ", requestSeq="
        + requestSeq
        + ", result="
        + VersionedValue.Bytes.preview(result)
        + "]";
  }
}
