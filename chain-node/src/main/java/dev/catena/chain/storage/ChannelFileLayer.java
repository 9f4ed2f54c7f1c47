package dev.catena.chain.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The production {@link FileLayer}: {@code FileChannel} per file ({@code force(false)} is
 * fdatasync), {@code fsync} on a directory opened read-only for {@link #syncDirectory}. A handle's
 * read and write go straight to the channel: no allocation, no copy.
 */
final class ChannelFileLayer implements FileLayer {
  /** The single instance (the layer keeps no state). */
  static final ChannelFileLayer INSTANCE = new ChannelFileLayer();

  private ChannelFileLayer() {}

  @Override
  public Handle open(Path file) throws IOException {
    return new ChannelHandle(
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE));
  }

  @Override
  public List<Path> createDirectories(Path dir) throws IOException {
    List<Path> missing = new ArrayList<>();
    for (Path p = dir.toAbsolutePath(); p != null && !Files.isDirectory(p); p = p.getParent()) {
      missing.add(0, p);
    }
    Files.createDirectories(dir);
    return missing;
  }

  @Override
  public List<Path> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  @Override
  public void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  @Override
  public void syncDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  @Override
  public Closeable tryLock(Path file) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock l;
    try {
      l = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      l = null;
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    if (l == null) {
      ch.close();
      return null;
    }
    FileLock lock = l;
    return () -> {
      try {
        lock.release();
      } finally {
        ch.close();
      }
    };
  }

  private static final class ChannelHandle implements Handle {
    private final FileChannel channel;

    ChannelHandle(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst, long pos) throws IOException {
      return channel.read(dst, pos);
    }

    @Override
    public int write(ByteBuffer src, long pos) throws IOException {
      return channel.write(src, pos);
    }

    @Override
    public long size() throws IOException {
      return channel.size();
    }

    @Override
    public void force() throws IOException {
      channel.force(false);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
