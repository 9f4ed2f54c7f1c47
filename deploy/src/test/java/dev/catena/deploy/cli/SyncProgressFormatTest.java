package dev.catena.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.catena.deploy.zk.ClusterAdmin.SyncProgress;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Rendering of join progress: percent, bar, sizes, unknown and zero totals. */
class SyncProgressFormatTest {
  static SyncProgress progress(
      long keys, long bytes, boolean known, long plannedKeys, long plannedBytes) {
    return new SyncProgress(
        0, "n4", 7, keys, bytes, known, plannedKeys, plannedBytes, 0, 0, false, false, 0, false, 1);
  }

  @Test
  void percentIsRoundedDownAndClamped() {
    assertThat(SyncProgressFormat.percent(SyncProgressFormat.fraction(true, 0, 200)))
        .isEqualTo("0%");
    assertThat(SyncProgressFormat.percent(SyncProgressFormat.fraction(true, 1, 200)))
        .isEqualTo("0%");
    assertThat(SyncProgressFormat.percent(SyncProgressFormat.fraction(true, 50, 200)))
        .isEqualTo("25%");
    assertThat(SyncProgressFormat.percent(SyncProgressFormat.fraction(true, 199, 200)))
        .isEqualTo("99%");
    assertThat(SyncProgressFormat.percent(SyncProgressFormat.fraction(true, 200, 200)))
        .isEqualTo("100%");
    assertThat(SyncProgressFormat.percent(SyncProgressFormat.fraction(true, 300, 200)))
        .isEqualTo("100%");
  }

  @Test
  void unknownTotalsHaveNoPercent() {
    OptionalDouble f = SyncProgressFormat.fraction(false, 123, 0);
    assertThat(f).isEmpty();
    assertThat(SyncProgressFormat.percent(f)).isEqualTo("?%");
    assertThat(SyncProgressFormat.bar(f, 9)).isEqualTo("[    ?    ]");
  }

  @Test
  void zeroPlannedTotalIsComplete() {
    OptionalDouble f = SyncProgressFormat.fraction(true, 0, 0);
    assertThat(SyncProgressFormat.percent(f)).isEqualTo("100%");
    assertThat(SyncProgressFormat.bar(f, 4)).isEqualTo("[====]");
  }

  @Test
  void barFillsInProportion() {
    assertThat(SyncProgressFormat.bar(OptionalDouble.of(0), 10)).isEqualTo("[>         ]");
    assertThat(SyncProgressFormat.bar(OptionalDouble.of(0.5), 10)).isEqualTo("[=====>    ]");
    assertThat(SyncProgressFormat.bar(OptionalDouble.of(0.99), 10)).isEqualTo("[=========>]");
    assertThat(SyncProgressFormat.bar(OptionalDouble.of(1), 10)).isEqualTo("[==========]");
    assertThatThrownBy(() -> SyncProgressFormat.bar(OptionalDouble.of(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 50);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void barHasFixedWidthAndGrowsWithProgress(long seed) {
    var rnd = new SplittableRandom(seed);
    int width = 1 + rnd.nextInt(60);
    long planned = rnd.nextLong(1, 1L << 40);
    long a = rnd.nextLong(0, planned + 1);
    long b = rnd.nextLong(a, planned + 1);
    String barA = SyncProgressFormat.bar(SyncProgressFormat.fraction(true, a, planned), width);
    String barB = SyncProgressFormat.bar(SyncProgressFormat.fraction(true, b, planned), width);
    String ctx = "seed " + seed;
    assertThat(barA).as(ctx).hasSize(width + 2).startsWith("[").endsWith("]");
    assertThat(barB).as(ctx).hasSize(width + 2);
    assertThat(barB.chars().filter(c -> c == '=').count())
        .as(ctx)
        .isGreaterThanOrEqualTo(barA.chars().filter(c -> c == '=').count());
    int pa =
        Integer.parseInt(
            SyncProgressFormat.percent(SyncProgressFormat.fraction(true, a, planned))
                .replace("%", ""));
    int pb =
        Integer.parseInt(
            SyncProgressFormat.percent(SyncProgressFormat.fraction(true, b, planned))
                .replace("%", ""));
    assertThat(pa).as(ctx).isBetween(0, 100).isLessThanOrEqualTo(pb);
    assertThat(pb == 100).as(ctx).isEqualTo(b == planned);
  }

  @Test
  void sizesUseBinaryPrefixes() {
    assertThat(SyncProgressFormat.size(0)).isEqualTo("0 B");
    assertThat(SyncProgressFormat.size(1023)).isEqualTo("1023 B");
    assertThat(SyncProgressFormat.size(1536)).isEqualTo("1.5 KiB");
    assertThat(SyncProgressFormat.size(12L << 20)).isEqualTo("12.0 MiB");
    assertThat(SyncProgressFormat.size(5L << 30)).isEqualTo("5.0 GiB");
  }

  @Test
  void statusLineShowsDoneOfPlannedPercentAndLag() {
    var p =
        new SyncProgress(
            2, "n4", 9, 1200, 3L << 20, true, 4800, 12L << 20, 4800, 12L << 20, false, false, 3,
            false, 1);
    assertThat(SyncProgressFormat.statusLine(p))
        .isEqualTo("n4: 1200/4800 keys, 3.0 MiB/12.0 MiB (25%), full snapshot, lag 3 seqs");
  }

  @Test
  void statusLineOfADiffResyncNamesWhatTheSenderHolds() {
    var p =
        new SyncProgress(
            2, "n4", 9, 10, 2048, true, 10, 2048, 5000, 40L << 20, true, true, 0, false, 1);
    assertThat(SyncProgressFormat.statusLine(p))
        .isEqualTo(
            "n4: 10/10 keys, 2.0 KiB/2.0 KiB (100%), diff resync of 40.0 MiB held by the sender,"
                + " lag 0 seqs, installed, catching up");
  }

  @Test
  void statusLineBeforeTotalsAreKnown() {
    assertThat(SyncProgressFormat.statusLine(progress(5, 100, false, 0, 0)))
        .isEqualTo("n4: 5 keys, 100 B (total not known yet), lag 0 seqs");
  }
}
