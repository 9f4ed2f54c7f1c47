package dev.catena.frangipani.fs;

/**
 * A namespace operation was refused; nothing of it was applied. Subclasses name the reason; the
 * message names the path.
 */
public class FsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public FsException(String message) {
    super(message);
  }

  /** The path is malformed (not absolute, empty component, ".", "..", NUL). */
  public static final class InvalidPath extends FsException {
    private static final long serialVersionUID = 1L;

    public InvalidPath(String path, String why) {
      super("invalid path '" + path + "': " + why);
    }
  }

  /** The path, or one of its parents, does not exist. */
  public static final class NoSuchPath extends FsException {
    private static final long serialVersionUID = 1L;

    public NoSuchPath(String path) {
      super("no such file or directory: " + path);
    }
  }

  /** A component used as a directory is a file. */
  public static final class NotADirectory extends FsException {
    private static final long serialVersionUID = 1L;

    public NotADirectory(String path) {
      super("not a directory: " + path);
    }
  }

  /** A file operation named a directory. */
  public static final class IsADirectory extends FsException {
    private static final long serialVersionUID = 1L;

    public IsADirectory(String path) {
      super("is a directory: " + path);
    }
  }

  /** The name is taken. */
  public static final class AlreadyExists extends FsException {
    private static final long serialVersionUID = 1L;

    public AlreadyExists(String path) {
      super("already exists: " + path);
    }
  }

  /** rmdir (or a rename over) a directory that has entries. */
  public static final class DirectoryNotEmpty extends FsException {
    private static final long serialVersionUID = 1L;

    public DirectoryNotEmpty(String path) {
      super("directory not empty: " + path);
    }
  }

  /** A directory would be moved into its own subtree, or the root would be moved or removed. */
  public static final class InvalidMove extends FsException {
    private static final long serialVersionUID = 1L;

    public InvalidMove(String message) {
      super(message);
    }
  }
}
