package dev.catena.chain.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * The file operations a store performs, so that tests can put a file system that loses power
 * underneath the real engine ({@link ChannelFileLayer} is the production one, over {@code
 * FileChannel}).
 *
 * <p><b>Durability contract</b> (POSIX, what the engine may rely on and nothing more): bytes
 * written to a file survive a power failure only once {@link Handle#force()} has returned after the
 * write; the creation or deletion of a directory entry (a file or a directory) survives only once
 * {@link #syncDirectory} of its parent has returned after it. Until then a power failure may keep
 * any part of the unforced writes (in any order, torn within a write), and may keep or drop each
 * unsynced entry. Data forced into a file whose entry was never synced can vanish with the entry.
 */
interface FileLayer {

  /** Opens {@code file} for reading and writing, creating it if missing. */
  Handle open(Path file) throws IOException;

  /**
   * Creates {@code dir} and missing parents; returns the directories it created, outermost first
   * (each one's entry is durable only after its parent is synced).
   */
  List<Path> createDirectories(Path dir) throws IOException;

  /** Every entry of {@code dir}. */
  List<Path> list(Path dir) throws IOException;

  /** Deletes {@code file} if it exists (durable once its directory is synced). */
  void delete(Path file) throws IOException;

  /** Makes every earlier creation and deletion of an entry of {@code dir} durable. */
  void syncDirectory(Path dir) throws IOException;

  /**
   * Takes an exclusive lock on {@code file} (created if missing) for this process; {@code null} if
   * another holder has it. Closing the result releases it.
   */
  Closeable tryLock(Path file) throws IOException;

  /** An open file: positional reads and writes, size, force, close. */
  interface Handle extends Closeable {
    /** Reads into {@code dst} from {@code pos}; returns bytes read, or -1 at end of file. */
    int read(ByteBuffer dst, long pos) throws IOException;

    /** Writes from {@code src} at {@code pos}; returns bytes written. */
    int write(ByteBuffer src, long pos) throws IOException;

    /** Current size in bytes. */
    long size() throws IOException;

    /** Makes every earlier write to this file durable (fdatasync: data and size). */
    void force() throws IOException;
  }
}
