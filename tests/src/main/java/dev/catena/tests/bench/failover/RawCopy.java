package dev.catena.tests.bench.failover;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The baseline of a replica copy: plain file copying of a node's data directory with {@link
 * FileChannel#transferTo}, every copied file forced to disk and its directory fsynced, up to a byte
 * budget (whole files in path order, the last one partly), so that it moves the same number of
 * bytes as the copy it is compared with.
 */
public final class RawCopy {
  /** What was copied. */
  public record Result(long bytes, int files, long nanos) {}

  private RawCopy() {}

  /**
   * Copies regular files under {@code source} into {@code target} (created, must not exist), in
   * sorted path order, until {@code maxBytes} bytes are copied or the files run out.
   */
  public static Result copy(Path source, Path target, long maxBytes) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(source)) {
      s.filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    Files.createDirectories(target);
    long t0 = System.nanoTime();
    long copied = 0;
    int count = 0;
    var dirs = new ArrayList<Path>();
    for (Path f : files) {
      if (copied >= maxBytes) {
        break;
      }
      Path to = target.resolve(source.relativize(f).toString());
      Path dir = to.getParent();
      if (!dirs.contains(dir)) {
        Files.createDirectories(dir);
        dirs.add(dir);
      }
      try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ);
          FileChannel out =
              FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        long want = Math.min(in.size(), maxBytes - copied);
        long pos = 0;
        while (pos < want) {
          long n = in.transferTo(pos, want - pos, out);
          if (n <= 0) {
            break;
          }
          pos += n;
        }
        out.force(true);
        copied += pos;
        count++;
      }
    }
    for (Path d : dirs) {
      try (FileChannel dc = FileChannel.open(d, StandardOpenOption.READ)) {
        dc.force(true);
      }
    }
    return new Result(copied, count, System.nanoTime() - t0);
  }
}
