package dev.catena.client.impl;

import dev.catena.client.GarbageReport;
import dev.catena.proto.v1.ChunkInfo;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One pass of lazy chunk garbage collection (GFS style): lists every chain's chunks, then every
 * chain's manifest references, and deletes, through each chunk's chain, the chunks {@link
 * GarbagePlan} allows. Blocking; run on a client I/O thread. Idempotent: a pass that dies part-way
 * leaves only chunks that the next pass deletes.
 */
final class GarbageCollector {
  private static final int PAGE = 1000;

  private final ChainCalls calls;
  private final Supplier<List<Integer>> chains;
  private final Clock clock;

  GarbageCollector(ChainCalls calls, Supplier<List<Integer>> chains, Clock clock) {
    this.calls = calls;
    this.chains = chains;
    this.clock = clock;
  }

  GarbageReport run(Duration grace) {
    long scanStart = clock.millis();
    List<Integer> chainIds = chains.get();
    var stored = new ArrayList<List<ChunkInfo>>();
    long storedCount = 0;
    for (int chain : chainIds) {
      List<ChunkInfo> chunks = listChunks(chain);
      stored.add(chunks);
      storedCount += chunks.size();
    }
    Set<String> referenced = new HashSet<>();
    for (int chain : chains.get()) { // chains added meanwhile are read too
      referenced.addAll(listReferences(chain));
    }
    long deleted = 0;
    long bytes = 0;
    long young = 0;
    for (int i = 0; i < chainIds.size(); i++) {
      List<ChunkInfo> doomed =
          GarbagePlan.deletable(stored.get(i), referenced, scanStart, grace.toMillis());
      for (ChunkInfo c : doomed) {
        calls.deleteChunk(chainIds.get(i), c.getChunkId()).join();
        deleted++;
        bytes += c.getLength();
      }
      young +=
          stored.get(i).stream()
                  .filter(c -> !referenced.contains(c.getChunkId()))
                  .mapToLong(ChunkInfo::getLength)
                  .sum()
              - doomed.stream().mapToLong(ChunkInfo::getLength).sum();
    }
    return new GarbageReport(storedCount, referenced.size(), deleted, bytes, young);
  }

  private List<ChunkInfo> listChunks(int chain) {
    var out = new ArrayList<ChunkInfo>();
    String after = "";
    while (true) {
      var page = calls.listChunks(chain, after, PAGE).join();
      out.addAll(page.getChunksList());
      if (!page.getTruncated() || page.getChunksCount() == 0) {
        return out;
      }
      after = page.getChunks(page.getChunksCount() - 1).getChunkId();
    }
  }

  private List<String> listReferences(int chain) {
    var out = new ArrayList<String>();
    String after = "";
    while (true) {
      var page = calls.listReferences(chain, after, PAGE).join();
      out.addAll(page.getChunkIdsList());
      if (!page.getTruncated()) {
        return out;
      }
      after = page.getNextStartAfter();
    }
  }
}
