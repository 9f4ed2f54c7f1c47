package dev.catena.tests.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HistoryRecorderTest {
  private final AtomicLong clock = new AtomicLong();
  private final HistoryRecorder rec = new HistoryRecorder(clock::incrementAndGet);

  @Test
  void recordsTimesFromTheInjectedClockAndStatuses() {
    long w = rec.invoke(1, "k", OpType.WRITE, "v");
    long r = rec.invoke(2, "k", OpType.READ, null);
    long d = rec.invoke(3, "k", OpType.DELETE, null);
    rec.ok(w);
    rec.ok(r, "v");
    rec.fail(d);
    History h = rec.history();
    assertThat(h.operations())
        .containsExactly(
            Operation.write(w, 1, "k", "v", 1, 4, OpStatus.OK),
            Operation.read(r, 2, "k", "v", 2, 5, OpStatus.OK),
            Operation.delete(d, 3, "k", 3, 6, OpStatus.FAIL));
  }

  @Test
  void infoKeepsTimeOfGivingUpAndPendingOperationsAreInfoWithoutCompletion() {
    long a = rec.invoke(1, "k", OpType.WRITE, "a");
    long b = rec.invoke(2, "k", OpType.WRITE, "b");
    rec.info(a);
    History h = rec.history();
    assertThat(h.operations().get(0))
        .isEqualTo(Operation.write(a, 1, "k", "a", 1, 3, OpStatus.INFO));
    Operation pending = h.operations().get(1);
    assertThat(pending.id()).isEqualTo(b);
    assertThat(pending.status()).isEqualTo(OpStatus.INFO);
    assertThat(pending.completeNanos()).isEqualTo(Operation.NOT_COMPLETED);
    assertThat(pending.effectiveCompleteNanos()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void outputOfNonReadIsDropped() {
    long w = rec.invoke(1, "k", OpType.WRITE, "v");
    rec.ok(w, "ignored");
    assertThat(rec.history().operations().get(0).output()).isNull();
  }

  @Test
  void completingTwiceOrUnknownIdIsATypedError() {
    long w = rec.invoke(1, "k", OpType.WRITE, "v");
    rec.ok(w);
    assertThatThrownBy(() -> rec.fail(w)).isInstanceOf(OperationAlreadyCompletedException.class);
    assertThatThrownBy(() -> rec.ok(42)).isInstanceOf(UnknownOperationException.class);
  }

  @Test
  void malformedInvocationIsRejectedAtTheCallSite() {
    assertThatThrownBy(() -> rec.invoke(1, "k", OpType.WRITE, null))
        .isInstanceOf(InvalidHistoryException.class);
    assertThatThrownBy(() -> rec.invoke(1, "k", OpType.READ, "x"))
        .isInstanceOf(InvalidHistoryException.class);
    assertThatThrownBy(() -> rec.invoke(1, null, OpType.READ, null))
        .isInstanceOf(InvalidHistoryException.class);
    assertThat(rec.history().size()).isZero();
  }

  @Test
  void isSafeUnderConcurrentUse() throws Exception {
    HistoryRecorder shared = new HistoryRecorder();
    int threads = 4;
    int perThread = 2_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int process = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    long id = shared.invoke(process, "k" + (i % 7), OpType.WRITE, "v" + i);
                    shared.ok(id);
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    History h = shared.history();
    assertThat(h.size()).isEqualTo(threads * perThread);
    assertThat(h.operations()).allMatch(o -> o.status() == OpStatus.OK);
    assertThat(h.operations().stream().map(Operation::id).distinct().count())
        .isEqualTo((long) threads * perThread);
  }

  @Test
  void historyRejectsDuplicateIdsAndBadOperations() {
    Operation a = Operation.write(1, 0, "k", "v", 0, 1, OpStatus.OK);
    assertThatThrownBy(() -> History.of(a, a)).isInstanceOf(InvalidHistoryException.class);
    assertThatThrownBy(() -> Operation.write(2, 0, "k", "v", 5, 4, OpStatus.OK))
        .isInstanceOf(InvalidHistoryException.class);
    assertThatThrownBy(
            () -> Operation.write(2, 0, "k", "v", 5, Operation.NOT_COMPLETED, OpStatus.OK))
        .isInstanceOf(InvalidHistoryException.class);
  }
}
