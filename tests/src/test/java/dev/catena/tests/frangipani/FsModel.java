package dev.catena.tests.frangipani;

import dev.catena.tests.linearizability.SequentialModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The sequential specification of the namespace ({@code FileSystem}) for the linearizability
 * checker: the state is the whole tree as path → directory or file contents. An operation that
 * succeeded must be legal and changes the tree as its documentation says; one that failed with a
 * typed error must find that error's condition true and changes nothing. (Where several errors
 * apply, any of them is accepted: the namespace checks them in an order the model does not pin.)
 */
final class FsModel implements SequentialModel<FsModel.Tree, FsModel.Op> {
  static final String DIR = "/";

  /** The tree: every path but the root, mapped to {@link #DIR} or {@code "F" + contents}. */
  record Tree(Map<String, String> nodes) {
    boolean exists(String p) {
      return p.equals("/") || nodes.containsKey(p);
    }

    boolean isDir(String p) {
      return p.equals("/") || DIR.equals(nodes.get(p));
    }

    List<String> children(String dir) {
      String prefix = dir.equals("/") ? "/" : dir + "/";
      List<String> out = new ArrayList<>();
      for (String p : nodes.keySet()) {
        if (p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0) {
          out.add(p.substring(prefix.length()));
        }
      }
      Collections.sort(out);
      return out;
    }
  }

  /** Operation kinds of the namespace. */
  enum Kind {
    MKDIR,
    WRITE,
    READ,
    UNLINK,
    RMDIR,
    RENAME,
    LIST
  }

  /**
   * One operation and its result: {@code "ok"}, the simple name of the {@code FsException} it
   * threw, {@code "=" + contents} for a read, {@code "=" + names joined by ","} for a list, or
   * {@code "?"} when the outcome is unknown (the clerk died during it).
   */
  record Op(int clerk, Kind kind, String path, String to, String data, String result) {
    Op withResult(String r) {
      return new Op(clerk, kind, path, to, data, r);
    }

    @Override
    public String toString() {
      return "c"
          + clerk
          + " "
          + kind
          + " "
          + path
          + (to == null ? "" : " -> " + to)
          + (data == null ? "" : " [" + data + "]")
          + " => "
          + result;
    }
  }

  @Override
  public Tree initial() {
    return new Tree(Map.of());
  }

  @Override
  public Tree step(Tree t, Op op) {
    Set<String> errors = new LinkedHashSet<>();
    Tree after = apply(t, op, errors);
    String r = op.result();
    if (r.equals("?")) {
      return errors.isEmpty() ? after : t;
    }
    if (errors.isEmpty()) {
      if (op.kind() == Kind.READ) {
        return r.equals("=" + t.nodes().get(op.path()).substring(1)) ? t : null;
      }
      if (op.kind() == Kind.LIST) {
        return r.equals("=" + String.join(",", t.children(op.path()))) ? t : null;
      }
      return r.equals("ok") ? after : null;
    }
    return errors.contains(r) ? t : null;
  }

  private static String parent(String p) {
    int i = p.lastIndexOf('/');
    return i == 0 ? "/" : p.substring(0, i);
  }

  /** Errors of walking to {@code p}: a component that is a file, or one that is missing. */
  private static boolean walk(Tree t, String p, Set<String> errors) {
    if (p.equals("/")) {
      return true;
    }
    String cur = "";
    for (String c : p.substring(1).split("/")) {
      String prefix = cur.isEmpty() ? "/" : cur;
      if (!t.isDir(prefix)) {
        errors.add("NotADirectory");
        return false;
      }
      cur = cur + "/" + c;
      if (!t.exists(cur)) {
        errors.add("NoSuchPath");
        return false;
      }
    }
    return true;
  }

  private static boolean walkDir(Tree t, String p, Set<String> errors) {
    if (!walk(t, p, errors)) {
      return false;
    }
    if (!t.isDir(p)) {
      errors.add("NotADirectory");
      return false;
    }
    return true;
  }

  private static Tree apply(Tree t, Op op, Set<String> errors) {
    String p = op.path();
    TreeMap<String, String> n = new TreeMap<>(t.nodes());
    switch (op.kind()) {
      case MKDIR -> {
        if (walkDir(t, parent(p), errors)) {
          if (t.exists(p)) {
            errors.add("AlreadyExists");
          }
          n.put(p, DIR);
        }
      }
      case WRITE -> {
        if (walkDir(t, parent(p), errors)) {
          if (t.isDir(p)) {
            errors.add("IsADirectory");
          }
          n.put(p, "F" + op.data());
        }
      }
      case READ -> {
        if (walk(t, p, errors) && t.isDir(p)) {
          errors.add("IsADirectory");
        }
      }
      case LIST -> {
        if (walk(t, p, errors) && !t.isDir(p)) {
          errors.add("NotADirectory");
        }
      }
      case UNLINK -> {
        if (walkDir(t, parent(p), errors)) {
          if (!t.exists(p)) {
            errors.add("NoSuchPath");
          } else if (t.isDir(p)) {
            errors.add("IsADirectory");
          }
          n.remove(p);
        }
      }
      case RMDIR -> {
        if (walkDir(t, parent(p), errors)) {
          if (!t.exists(p)) {
            errors.add("NoSuchPath");
          } else if (!t.isDir(p)) {
            errors.add("NotADirectory");
          } else if (!t.children(p).isEmpty()) {
            errors.add("DirectoryNotEmpty");
          }
          n.remove(p);
        }
      }
      case RENAME -> rename(t, op.path(), op.to(), n, errors);
    }
    return new Tree(Collections.unmodifiableMap(n));
  }

  private static void rename(
      Tree t, String s, String d, TreeMap<String, String> n, Set<String> errors) {
    if (d.startsWith(s + "/")) {
      errors.add("InvalidMove");
      return;
    }
    boolean sOk = walkDir(t, parent(s), errors);
    boolean dOk = walkDir(t, parent(d), errors);
    if (!sOk || !dOk) {
      return;
    }
    if (!t.exists(s)) {
      errors.add("NoSuchPath");
      return;
    }
    if (s.equals(d)) {
      return;
    }
    if (t.exists(d)) {
      if (t.isDir(s) && !t.isDir(d)) {
        errors.add("NotADirectory");
      } else if (!t.isDir(s) && t.isDir(d)) {
        errors.add("IsADirectory");
      } else if (t.isDir(d) && !t.children(d).isEmpty()) {
        errors.add("DirectoryNotEmpty");
      }
      if (!errors.isEmpty()) {
        return;
      }
      n.remove(d);
    }
    for (var e : t.nodes().entrySet()) {
      String p = e.getKey();
      if (p.equals(s) || p.startsWith(s + "/")) {
        n.remove(p);
        n.put(d + p.substring(s.length()), e.getValue());
      }
    }
  }
}
