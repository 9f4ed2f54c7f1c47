package dev.catena.tests.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every test has a time limit: the build gives JUnit a default timeout for every test and lifecycle
 * method (parent pom, {@code test.timeout.default}), so a hang fails in minutes instead of at the
 * CI job's limit. (Each forked test JVM also has a limit as a whole, {@code
 * test.fork.timeout.seconds}, for a hang that ignores the interrupt.)
 */
class TimeLimitTest {
  private static final Pattern JUNIT_DURATION =
      Pattern.compile("(\\d+)\\s*(ns|μs|ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);

  private static Optional<String> defaultTimeout;
  private static Optional<String> timeoutMode;

  @RegisterExtension
  static final BeforeEachCallback CONFIGURATION =
      context -> {
        defaultTimeout =
            context.getConfigurationParameter("junit.jupiter.execution.timeout.default");
        timeoutMode = context.getConfigurationParameter("junit.jupiter.execution.timeout.mode");
      };

  @Test
  void everyTestHasADefaultTimeoutOfMinutes() {
    assertThat(defaultTimeout)
        .as("junit.jupiter.execution.timeout.default (parent pom, surefire/failsafe)")
        .isPresent();
    assertThat(timeoutMode.orElse("enabled")).isEqualTo("enabled");
    Matcher m = JUNIT_DURATION.matcher(defaultTimeout.get().trim());
    assertThat(m.matches()).as(defaultTimeout.get()).isTrue();
    Duration limit = parse(Long.parseLong(m.group(1)), m.group(2));
    assertThat(limit).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(15));
  }

  private static Duration parse(long n, String unit) {
    return switch (unit == null ? "s" : unit.toLowerCase(java.util.Locale.ROOT)) {
      case "ns" -> Duration.ofNanos(n);
      case "μs" -> Duration.ofNanos(n * 1_000);
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }
}
