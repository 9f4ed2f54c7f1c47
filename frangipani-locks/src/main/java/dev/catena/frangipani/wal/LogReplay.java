package dev.catena.frangipani.wal;

import dev.catena.frangipani.clerk.LogReplayer;
import dev.catena.frangipani.store.Fence;
import dev.catena.frangipani.store.ObjectStore;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a dead clerk's log (what the recovery daemon runs): from the record after the checkpoint,
 * in seq order, while records are contiguous, present and intact; the first gap, torn or corrupt
 * record ends the replay (the clerk died writing it, so nothing after it was acknowledged). Each
 * update is applied only if its version is greater than the current version of its target, so
 * replay never rolls anything back and running it twice changes nothing. The log is deleted
 * afterwards.
 */
public final class LogReplay implements LogReplayer {
  private static final Logger log = LoggerFactory.getLogger(LogReplay.class);

  private final ObjectStore store;

  /** A replayer over {@code store}. */
  public LogReplay(ObjectStore store) {
    this.store = store;
  }

  @Override
  public int replay(String clerk) {
    long checkpoint = LogKeys.decodeCheckpoint(store.get(LogKeys.checkpoint(clerk)));
    List<String> keys = store.list(LogKeys.prefix(clerk));
    long expect = checkpoint + 1;
    int applied = 0;
    for (long seq : LogKeys.seqs(clerk, keys)) {
      if (seq < expect) {
        continue; // trimmed but not yet deleted
      }
      if (seq != expect) {
        log.info("log of {} ends at a gap before record {}", clerk, seq);
        break;
      }
      Optional<byte[]> data = store.get(LogKeys.record(clerk, seq));
      if (data.isEmpty()) {
        break;
      }
      LogRecord record;
      try {
        record = LogRecord.decode(data.get());
      } catch (CorruptRecordException e) {
        log.info("log of {} ends at record {}: {}", clerk, seq, e.getMessage());
        break;
      }
      if (record.seq() != seq) {
        break;
      }
      for (Update u : record.updates()) {
        if (u.version() > MetaObject.versionOf(store.get(u.key()))) {
          try {
            store.put(u.key(), u.object().encode(), new Fence(u.scope(), u.token()));
            applied++;
          } catch (dev.catena.client.StaleFencingTokenException e) {
            // A later grant of the lock has written under a higher token: that write saw this
            // one's effects or supersedes them; replay never rolls back.
            log.warn("update of {} superseded by a later grant: {}", u.key(), e.getMessage());
          }
        }
      }
      expect++;
    }
    for (String k : keys) {
      store.delete(k, Fence.NONE);
    }
    return applied;
  }
}
