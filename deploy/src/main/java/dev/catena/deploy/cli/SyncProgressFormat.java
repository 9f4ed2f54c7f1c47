package dev.catena.deploy.cli;

import dev.catena.deploy.zk.ClusterAdmin.SyncProgress;
import java.util.ArrayList;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Text for join progress (pure functions, no I/O): the per-member line of {@code cluster status}
 * and the progress bar of {@code cluster add-node}.
 *
 * <p>Progress is measured in bytes (key + value + chunk data, the measure of {@code SyncStatus}): a
 * fraction is known only when the snapshot stream has announced its totals; a planned total of zero
 * (nothing differs, or an empty chain) counts as complete; done beyond planned is shown as
 * complete. An unknown fraction renders as {@code ?%} and an empty bar with a {@code ?} in it.
 */
final class SyncProgressFormat {
  private SyncProgressFormat() {}

  /** done / planned in [0, 1]; empty if the total is unknown. */
  static OptionalDouble fraction(boolean known, long done, long planned) {
    return SyncProgress.fraction(known, done, planned);
  }

  /** {@code 42%} (rounded down, so 100% only when complete), or {@code ?%}. */
  static String percent(OptionalDouble fraction) {
    if (fraction.isEmpty()) {
      return "?%";
    }
    return (int) Math.floor(fraction.getAsDouble() * 100 + 1e-9) + "%";
  }

  /** A bar of {@code width} cells between brackets: {@code [=====> ]}, full {@code [====]}. */
  static String bar(OptionalDouble fraction, int width) {
    if (width < 1) {
      throw new IllegalArgumentException("bar width must be positive, not " + width);
    }
    var b = new StringBuilder(width + 2).append('[');
    if (fraction.isEmpty()) {
      String q = "?";
      int left = (width - q.length()) / 2;
      b.append(" ".repeat(left)).append(q).append(" ".repeat(width - left - q.length()));
    } else {
      int filled = (int) Math.floor(fraction.getAsDouble() * width + 1e-9);
      if (filled >= width) {
        b.append("=".repeat(width));
      } else {
        b.append("=".repeat(filled)).append('>').append(" ".repeat(width - filled - 1));
      }
    }
    return b.append(']').toString();
  }

  /** Binary-prefixed size: {@code 512 B}, {@code 1.5 KiB}, {@code 12.0 MiB}, {@code 2.3 GiB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /**
   * One SYNCING member for {@code cluster status}, e.g. {@code n4: 1200/5000 keys, 3.0/12.0 MiB
   * (25%), full snapshot, lag 3 seqs}.
   */
  static String statusLine(SyncProgress p) {
    var parts = new ArrayList<String>();
    OptionalDouble f = fraction(p.plannedKnown(), p.bytes(), p.plannedBytes());
    if (p.plannedKnown()) {
      parts.add(p.keys() + "/" + p.plannedKeys() + " keys");
      parts.add(size(p.bytes()) + "/" + size(p.plannedBytes()) + " (" + percent(f) + ")");
      parts.add(
          p.diff()
              ? "diff resync of " + size(p.sourceBytes()) + " held by the sender"
              : "full snapshot");
    } else {
      parts.add(p.keys() + " keys");
      parts.add(size(p.bytes()) + " (total not known yet)");
    }
    parts.add("lag " + p.lagSeqs() + " seqs");
    if (p.caughtUp()) {
      parts.add("caught up");
    } else if (p.installed()) {
      parts.add("installed, catching up");
    }
    return p.nodeId() + ": " + String.join(", ", parts);
  }

  /**
   * The add-node line, e.g. {@code join n4 [=====> ] 52% 6.0/11.5 MiB 1 of 3 chains active, 2
   * syncing, lag 4 seqs}.
   */
  static String joinLine(JoinTracker.View v, int barWidth) {
    OptionalDouble f = v.fraction();
    var b = new StringBuilder();
    b.append("join ").append(v.nodeId()).append(' ').append(bar(f, barWidth));
    b.append(' ').append(String.format(Locale.ROOT, "%4s", percent(f)));
    if (v.plannedKnown()) {
      b.append(' ').append(size(v.bytes())).append('/').append(size(v.plannedBytes()));
      b.append(' ').append(v.keys()).append('/').append(v.plannedKeys()).append(" keys");
    } else if (v.bytes() > 0) {
      b.append(' ').append(size(v.bytes()));
    }
    if (v.chains().isEmpty()) {
      return b.append(" waiting for a chain").toString();
    }
    b.append(' ').append(v.active()).append(" of ").append(v.chains().size());
    b.append(v.chains().size() == 1 ? " chain active" : " chains active");
    if (v.syncing() > 0) {
      b.append(", ").append(v.syncing()).append(" syncing, lag ").append(v.lagSeqs());
      b.append(" seqs");
    }
    if (v.left() > 0) {
      b.append(", ").append(v.left()).append(" left");
    }
    return b.toString();
  }
}
