package dev.catena.deploy.cli;

import dev.catena.client.CatenaUnavailableException;
import dev.catena.client.InvalidRequestException;
import dev.catena.client.NoSuchBucketException;
import dev.catena.client.NoSuchKeyException;
import dev.catena.config.StoreUnavailableException;
import dev.catena.frangipani.fs.FsException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.regex.Pattern;

/**
 * How a failed command is reported (pure): one line for {@code catena: <line>} and the exit code of
 * its class ({@link ExitCodes}). Typed client errors arrive as {@code CODE: detail} (e.g. {@code
 * NO_SUCH_KEY: b/k}) and are written in words ({@code no such key b/k}).
 *
 * @param exitCode one of {@link ExitCodes}
 * @param line the message, one line, without the {@code catena: } prefix
 */
record ErrorReport(int exitCode, String line) {
  private static final Pattern TYPED = Pattern.compile("([A-Z][A-Z_]+): (.*)");

  /** The report of {@code failure}. */
  static ErrorReport of(Throwable failure) {
    if (failure instanceof CliException e) {
      return new ErrorReport(e.exitCode(), oneLine(e));
    }
    if (failure instanceof NoSuchKeyException
        || failure instanceof NoSuchBucketException
        || failure instanceof dev.catena.config.NoSuchBucketException
        || failure instanceof FsException.NoSuchPath) {
      return new ErrorReport(ExitCodes.NOT_FOUND, oneLine(failure));
    }
    if (failure instanceof CatenaUnavailableException
        || failure instanceof StoreUnavailableException) {
      return new ErrorReport(ExitCodes.UNAVAILABLE, oneLine(failure));
    }
    if (failure instanceof NoSuchFileException e) {
      return new ErrorReport(ExitCodes.INVALID_INPUT, "no such file or directory " + e.getFile());
    }
    if (failure instanceof AccessDeniedException e) {
      return new ErrorReport(ExitCodes.INVALID_INPUT, "permission denied " + e.getFile());
    }
    if (failure instanceof InvalidRequestException
        || failure instanceof IllegalArgumentException
        || failure instanceof FsException.InvalidPath) {
      return new ErrorReport(ExitCodes.INVALID_INPUT, oneLine(failure));
    }
    return new ErrorReport(ExitCodes.FAILURE, oneLine(failure));
  }

  /** The first line of the message ({@code CODE: detail} in words), or the type's name. */
  static String oneLine(Throwable t) {
    String m = t.getMessage();
    String line =
        (m == null || m.isBlank() ? t.getClass().getSimpleName() : m)
            .lines()
            .findFirst()
            .orElse("");
    var typed = TYPED.matcher(line);
    if (typed.matches()) {
      return typed.group(1).toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
          + " "
          + typed.group(2);
    }
    return line;
  }
}
