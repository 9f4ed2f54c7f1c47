package dev.catena.tests.bench.compare;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * The raw sequential disk baseline ({@link DiskBaseline}): writes {@code bytes} of random data to a
 * new file in {@code dir} with plain {@link FileChannel} writes of 4 MiB, forces it once, then
 * reads the same bytes back in 4 MiB reads, and deletes the file. The read usually finds the bytes
 * in the page cache, as the benchmark's own gets of recently written objects do.
 */
final class RawDisk {
  private static final int BLOCK = 4 << 20;

  private RawDisk() {}

  static DiskBaseline measure(Path dir, long bytes, long seed) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve("raw-disk-baseline.bin");
    ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
    byte[] random = new byte[BLOCK];
    new SplittableRandom(seed).nextBytes(random);
    block.put(random).flip();
    long blocks = Math.max(1, bytes / BLOCK);
    long total = blocks * BLOCK;
    long t0 = System.nanoTime();
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long b = 0; b < blocks; b++) {
        block.rewind();
        while (block.hasRemaining()) {
          ch.write(block);
        }
      }
      ch.force(true);
    }
    long writeNanos = System.nanoTime() - t0;
    long t1 = System.nanoTime();
    long read = 0;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (int n; ; ) {
        block.clear();
        n = ch.read(block);
        if (n < 0) {
          break;
        }
        read += n;
      }
    }
    long readNanos = System.nanoTime() - t1;
    Files.deleteIfExists(file);
    if (read != total) {
      throw new IOException("read " + read + " of " + total + " bytes back");
    }
    return new DiskBaseline(total, total * 1e3 / writeNanos, total * 1e3 / readNanos);
  }
}
