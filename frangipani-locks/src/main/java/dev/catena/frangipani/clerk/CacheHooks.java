package dev.catena.frangipani.clerk;

/**
 * What the clerk's cache does when the lock cache tells it to (Frangipani §5). Called outside the
 * clerk's monitor, at most once at a time per lock.
 */
public interface CacheHooks {
  /** Flushes the log, then writes back every dirty item cached under {@code lock}. */
  void writeBack(String lock) throws InterruptedException;

  /** Forgets every item cached under {@code lock}. */
  void dropCache(String lock);

  /** The lease was lost with updates under {@code lock} not written back: fail their callers. */
  void failDirty(String lock);

  /** Hooks for a clerk that caches nothing. */
  CacheHooks NONE =
      new CacheHooks() {
        @Override
        public void writeBack(String lock) {}

        @Override
        public void dropCache(String lock) {}

        @Override
        public void failDirty(String lock) {}
      };
}
