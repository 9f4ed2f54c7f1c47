package dev.catena.tests.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.List;

/**
 * The trace of a simulation: every step and every effect executed is appended as one line. Lines
 * are folded into a SHA-256 digest (two runs of the same seed must produce the same digest) and the
 * most recent ones are kept for failure reports.
 */
public final class SimTrace {
  private final MessageDigest digest;
  private final ArrayDeque<String> recent = new ArrayDeque<>();
  private final int keep;
  private long lines;

  /** A trace that keeps the last {@code keep} lines. */
  public SimTrace(int keep) {
    this.keep = keep;
    try {
      this.digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** Appends one line. */
  public void add(String line) {
    digest.update(line.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
    lines++;
    if (keep > 0) {
      if (recent.size() == keep) {
        recent.pollFirst();
      }
      recent.addLast(line);
    }
  }

  /** Number of lines appended. */
  public long lines() {
    return lines;
  }

  /** Hex digest of everything appended so far (does not disturb further appends). */
  public String hash() {
    try {
      MessageDigest copy = (MessageDigest) digest.clone();
      return HexFormat.of().formatHex(copy.digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("digest not cloneable", e);
    }
  }

  /** The most recent lines, oldest first. */
  public List<String> recent() {
    return List.copyOf(recent);
  }
}
