package dev.catena.frangipani.fs;

import java.util.ArrayList;
import java.util.List;

/**
 * An absolute, normalised namespace path: {@code /} or {@code /a/b}. Components are non-empty, not
 * {@code .} or {@code ..}, contain no {@code /} or NUL, and are at most 255 UTF-8 bytes.
 */
public record FsPath(List<String> components) {
  public FsPath {
    components = List.copyOf(components);
  }

  /** The root directory. */
  public static final FsPath ROOT = new FsPath(List.of());

  /** Parses {@code path}; {@link FsException.InvalidPath} if it is malformed. */
  public static FsPath parse(String path) {
    if (path == null || !path.startsWith("/")) {
      throw new FsException.InvalidPath(String.valueOf(path), "must start with /");
    }
    if (path.equals("/")) {
      return ROOT;
    }
    String body = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    List<String> out = new ArrayList<>();
    for (String c : body.substring(1).split("/", -1)) {
      if (c.isEmpty()) {
        throw new FsException.InvalidPath(path, "empty component");
      }
      if (c.equals(".") || c.equals("..")) {
        throw new FsException.InvalidPath(path, "'.' and '..' are not allowed");
      }
      if (c.indexOf('\0') >= 0) {
        throw new FsException.InvalidPath(path, "NUL in a name");
      }
      if (c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 255) {
        throw new FsException.InvalidPath(path, "name longer than 255 bytes");
      }
      out.add(c);
    }
    return new FsPath(out);
  }

  /** Whether this is the root. */
  public boolean isRoot() {
    return components.isEmpty();
  }

  /** The parent directory; the root has none. */
  public FsPath parent() {
    if (isRoot()) {
      throw new FsException.InvalidMove("the root has no parent");
    }
    return new FsPath(components.subList(0, components.size() - 1));
  }

  /** The last component. */
  public String name() {
    if (isRoot()) {
      throw new FsException.InvalidMove("the root has no name");
    }
    return components.get(components.size() - 1);
  }

  /** Whether {@code other} is this path or lies below it. */
  public boolean contains(FsPath other) {
    return other.components.size() >= components.size()
        && other.components.subList(0, components.size()).equals(components);
  }

  @Override
  public String toString() {
    return "/" + String.join("/", components);
  }
}
