package dev.catena.chain.transport;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of chunk uploads a node holds in memory at once, bounded. An upload reserves its
 * declared length when its first message arrives and gives it back once its reply is sent (stored,
 * refused or abandoned); an upload that does not fit is refused at once with {@code OVERLOADED}, so
 * the client backs off and retries instead of the node running out of memory or the client's
 * deadline running out in a queue. One upload larger than the whole budget still goes when nothing
 * else is reserved, so every chunk the limits allow can be stored.
 *
 * <p>Thread-safe; never blocks.
 */
public final class UploadBudget {
  /** The smallest default budget: two chunks of the largest size. */
  static final long MIN_DEFAULT = 32L << 20;

  /** The largest default budget. */
  static final long MAX_DEFAULT = 1L << 30;

  private final long capacity;
  private final AtomicLong reserved = new AtomicLong();

  /**
   * @param capacityBytes bytes of uploads held at once, positive
   */
  public UploadBudget(long capacityBytes) {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("upload budget must be positive: " + capacityBytes);
    }
    this.capacity = capacityBytes;
  }

  /**
   * The default for a heap of {@code maxHeapBytes}: a quarter of it, at least {@link #MIN_DEFAULT}
   * and at most {@link #MAX_DEFAULT}. Uploads are copied about twice on their way to disk and the
   * chain's in-flight window holds forwarded bytes as well, so a quarter leaves room for both.
   */
  public static UploadBudget forHeap(long maxHeapBytes) {
    return new UploadBudget(Math.max(MIN_DEFAULT, Math.min(MAX_DEFAULT, maxHeapBytes / 4)));
  }

  /** The default for this JVM's heap ({@link Runtime#maxMemory()}). */
  public static UploadBudget forThisHeap() {
    return forHeap(Runtime.getRuntime().maxMemory());
  }

  /**
   * Reserves {@code bytes} if they fit, or if nothing is reserved (one oversized upload goes
   * alone); false if the upload must be refused.
   */
  public boolean tryReserve(long bytes) {
    while (true) {
      long now = reserved.get();
      if (now > 0 && now + bytes > capacity) {
        return false;
      }
      if (reserved.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  /** Gives back bytes reserved by {@link #tryReserve}. */
  public void release(long bytes) {
    long after = reserved.addAndGet(-bytes);
    if (after < 0) {
      throw new IllegalStateException("upload budget released more than reserved: " + after);
    }
  }

  /** Bytes reserved now. */
  public long reservedBytes() {
    return reserved.get();
  }

  /** Bytes that may be reserved at once. */
  public long capacityBytes() {
    return capacity;
  }
}
