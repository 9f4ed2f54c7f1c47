package dev.catena.tests.bench.failover;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawCopyTest {
  @TempDir Path dir;

  @Test
  void copiesWholeFilesInPathOrderUpToTheBudget() throws Exception {
    Path src = dir.resolve("src");
    Files.createDirectories(src.resolve("meta"));
    var rnd = new SplittableRandom(42);
    byte[] a = new byte[3000];
    byte[] b = new byte[5000];
    rnd.nextBytes(a);
    rnd.nextBytes(b);
    Files.write(src.resolve("a.seg"), a);
    Files.write(src.resolve("meta").resolve("b.log"), b);

    RawCopy.Result partial = RawCopy.copy(src, dir.resolve("p"), 4000);
    assertThat(partial.bytes()).isEqualTo(4000);
    assertThat(partial.files()).isEqualTo(2);
    assertThat(Files.readAllBytes(dir.resolve("p/a.seg"))).isEqualTo(a);
    assertThat(Files.readAllBytes(dir.resolve("p/meta/b.log"))).isEqualTo(Arrays.copyOf(b, 1000));

    RawCopy.Result all = RawCopy.copy(src, dir.resolve("all"), Long.MAX_VALUE);
    assertThat(all.bytes()).isEqualTo(8000);
    assertThat(Files.readAllBytes(dir.resolve("all/meta/b.log"))).isEqualTo(b);
  }
}
