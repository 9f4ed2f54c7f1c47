package dev.catena.tests.faults;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * A prerequisite of a test that this machine may lack (root, network namespaces, iptables, an S3
 * command-line client). Outside CI a missing one skips the test with the reason; in CI (environment
 * {@code CI=true}, as CI services and {@code .ci/run} set it) it fails the test, so a suite cannot
 * pass by skipping.
 */
public final class Prerequisite {
  private Prerequisite() {}

  /** Skips (outside CI) or fails (in CI) unless {@code met}. */
  public static void require(boolean met, Supplier<String> reason) {
    require(met, reason, System.getenv("CI"));
  }

  /** As {@link #require(boolean, Supplier)}, with the value of {@code CI} given. */
  static void require(boolean met, Supplier<String> reason, String ci) {
    if (met) {
      return;
    }
    if (inCi(ci)) {
      fail("missing prerequisite in CI (CI=" + ci + "): " + reason.get());
    }
    Assumptions.abort(reason.get());
  }

  /** {@code CI} set to {@code true} or {@code 1}. */
  static boolean inCi(String ci) {
    return ci != null && (ci.equalsIgnoreCase("true") || ci.equals("1"));
  }
}
