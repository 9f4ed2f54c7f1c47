package dev.catena.tests.frangipani;

import static org.assertj.core.api.Assertions.assertThat;

import dev.catena.tests.frangipani.FsModel.Kind;
import dev.catena.tests.frangipani.FsModel.Op;
import dev.catena.tests.linearizability.CheckerOptions;
import dev.catena.tests.linearizability.ModelChecker;
import dev.catena.tests.linearizability.TimedOp;
import dev.catena.tests.linearizability.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The namespace's sequential specification, checked through {@link ModelChecker}. */
@Timeout(30)
class FsModelTest {
  private static Op op(Kind k, String p, String to, String data, String result) {
    return new Op(0, k, p, to, data, result);
  }

  private static TimedOp<Op> at(long from, long to, Op op) {
    return new TimedOp<>(op, from, to);
  }

  private static Verdict check(List<TimedOp<Op>> h) {
    return new ModelChecker<>(new FsModel(), CheckerOptions.deterministic(1_000_000))
        .check(h)
        .verdict();
  }

  @Test
  void aSequentialHistoryFollowsTheDocumentedSemantics() {
    assertThat(
            check(
                List.of(
                    at(0, 1, op(Kind.MKDIR, "/a", null, null, "ok")),
                    at(2, 3, op(Kind.WRITE, "/a/x", null, "v1", "ok")),
                    at(4, 5, op(Kind.RMDIR, "/a", null, null, "DirectoryNotEmpty")),
                    at(6, 7, op(Kind.RENAME, "/a", "/a/x/q", null, "InvalidMove")),
                    at(8, 9, op(Kind.RENAME, "/a", "/b", null, "ok")),
                    at(10, 11, op(Kind.READ, "/b/x", null, null, "=v1")),
                    at(12, 13, op(Kind.READ, "/a/x", null, null, "NoSuchPath")),
                    at(14, 15, op(Kind.LIST, "/", null, null, "=b")),
                    at(16, 17, op(Kind.MKDIR, "/b/x/y", null, null, "NotADirectory")),
                    at(18, 19, op(Kind.UNLINK, "/b", null, null, "IsADirectory")))))
        .isEqualTo(Verdict.LINEARIZABLE);
  }

  @Test
  void aLostAcknowledgedWriteIsNotLinearizable() {
    assertThat(
            check(
                List.of(
                    at(0, 1, op(Kind.WRITE, "/f", null, "v1", "ok")),
                    at(2, 3, op(Kind.READ, "/f", null, null, "NoSuchPath")))))
        .isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  /**
   * The anomaly of a path walk that a concurrent rename overtakes: {@code write /a/x} overlaps
   * {@code rename /a → /b}; a reader lists {@code /b} after the rename finished and sees no {@code
   * x}, then reads {@code /b/x} and finds the write. No order of the operations explains both.
   */
  @Test
  void aWriteThatLandsInTheRenamedDirectoryAfterAReaderSawItEmptyIsNotLinearizable() {
    assertThat(
            check(
                List.of(
                    at(0, 1, op(Kind.MKDIR, "/a", null, null, "ok")),
                    at(2, 20, op(Kind.WRITE, "/a/x", null, "v", "ok")),
                    at(3, 4, op(Kind.RENAME, "/a", "/b", null, "ok")),
                    at(5, 6, op(Kind.LIST, "/b", null, null, "=")),
                    at(21, 22, op(Kind.READ, "/b/x", null, null, "=v")))))
        .isEqualTo(Verdict.NOT_LINEARIZABLE);
  }

  @Test
  void anOperationOfUnknownOutcomeMayTakeEffectOrNot() {
    Op lost = op(Kind.WRITE, "/f", null, "v", "?");
    assertThat(
            check(
                List.of(
                    new TimedOp<>(lost, 0, TimedOp.UNKNOWN),
                    at(5, 6, op(Kind.READ, "/f", null, null, "NoSuchPath")))))
        .isEqualTo(Verdict.LINEARIZABLE);
    assertThat(
            check(
                List.of(
                    new TimedOp<>(lost, 0, TimedOp.UNKNOWN),
                    at(5, 6, op(Kind.READ, "/f", null, null, "=v")))))
        .isEqualTo(Verdict.LINEARIZABLE);
    assertThat(
            check(
                List.of(
                    new TimedOp<>(lost, 10, TimedOp.UNKNOWN),
                    at(5, 6, op(Kind.READ, "/f", null, null, "=v")))))
        .as("it cannot take effect before it was invoked")
        .isEqualTo(Verdict.NOT_LINEARIZABLE);
  }
}
