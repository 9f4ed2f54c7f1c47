package dev.catena.tests.bench.compare;

import java.util.Locale;

/** Number formatting of the reports: three significant figures at most, "–" for NaN. */
final class Format {
  private Format() {}

  /** {@code v} with up to three significant figures (integers above 100 unrounded). */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "–";
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%.0f", v);
    }
    if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    }
    if (a >= 1 || a == 0) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
