package dev.catena.tests.bench.failover;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Options of a benchmark program: {@code --name value} pairs, each name from a fixed set. Values
 * are read with typed getters that fall back to a default; anything malformed is a {@link
 * BenchArgsException}.
 */
public final class BenchArgs {
  private final Map<String, String> values;

  private BenchArgs(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses {@code args}.
   *
   * @param allowed the option names (without {@code --}) this program knows
   * @throws BenchArgsException for an unknown name, a missing value or a repeated option
   */
  public static BenchArgs parse(String[] args, Set<String> allowed) {
    var values = new HashMap<String, String>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("--")) {
        throw new BenchArgsException("expected --option, got '" + a + "'");
      }
      String name = a.substring(2);
      if (!allowed.contains(name)) {
        throw new BenchArgsException("unknown option --" + name + "; known: " + allowed);
      }
      if (i + 1 >= args.length) {
        throw new BenchArgsException("option --" + name + " needs a value");
      }
      if (values.put(name, args[++i]) != null) {
        throw new BenchArgsException("option --" + name + " given twice");
      }
    }
    return new BenchArgs(values);
  }

  /** A positive integer option. */
  public int intValue(String name, int defaultValue) {
    long v = longValue(name, defaultValue);
    if (v > Integer.MAX_VALUE) {
      throw new BenchArgsException("--" + name + " is too large: " + v);
    }
    return (int) v;
  }

  /** A positive long option. */
  public long longValue(String name, long defaultValue) {
    String s = values.get(name);
    if (s == null) {
      return defaultValue;
    }
    long v;
    try {
      v = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new BenchArgsException("--" + name + " must be a number, got '" + s + "'");
    }
    if (v <= 0) {
      throw new BenchArgsException("--" + name + " must be positive, got " + v);
    }
    return v;
  }

  /** A path option. */
  public Path path(String name, Path defaultValue) {
    String s = values.get(name);
    return s == null ? defaultValue : Path.of(s);
  }

  /** A string option. */
  public String string(String name, String defaultValue) {
    return values.getOrDefault(name, defaultValue);
  }
}
