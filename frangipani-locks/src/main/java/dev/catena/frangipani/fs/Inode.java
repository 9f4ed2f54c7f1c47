package dev.catena.frangipani.fs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An inode's payload: a directory (sorted entries name → child id and type) or a file (size and the
 * key of the Catena object holding its bytes, empty for an empty file). Immutable; the {@code
 * with…} methods return changed copies.
 */
public record Inode(Type type, Map<String, Entry> entries, long size, Optional<String> dataKey) {
  /** File or directory. */
  public enum Type {
    FILE,
    DIR
  }

  /** A directory entry: the child's inode id and its type (which never changes). */
  public record Entry(String id, Type type) {}

  public Inode {
    entries = Collections.unmodifiableMap(new TreeMap<>(entries));
  }

  /** An empty directory. */
  public static Inode dir() {
    return new Inode(Type.DIR, Map.of(), 0, Optional.empty());
  }

  /** A file of {@code size} bytes stored under {@code dataKey}. */
  public static Inode file(long size, Optional<String> dataKey) {
    return new Inode(Type.FILE, Map.of(), size, dataKey);
  }

  /** Whether this is a directory. */
  public boolean isDir() {
    return type == Type.DIR;
  }

  /** This directory with {@code name} → {@code entry}. */
  public Inode with(String name, Entry entry) {
    TreeMap<String, Entry> m = new TreeMap<>(entries);
    m.put(name, entry);
    return new Inode(type, m, size, dataKey);
  }

  /** This directory without {@code name}. */
  public Inode without(String name) {
    TreeMap<String, Entry> m = new TreeMap<>(entries);
    m.remove(name);
    return new Inode(type, m, size, dataKey);
  }

  /** The stored form. */
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(64 + estimate());
    b.put((byte) type.ordinal());
    b.putLong(size);
    putString(b, dataKey.orElse(""));
    b.putInt(entries.size());
    for (var e : entries.entrySet()) {
      putString(b, e.getKey());
      putString(b, e.getValue().id());
      b.put((byte) e.getValue().type().ordinal());
    }
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  /** Decodes a stored inode. */
  public static Inode decode(byte[] data) {
    ByteBuffer b = ByteBuffer.wrap(data);
    Type type = Type.values()[b.get()];
    long size = b.getLong();
    String key = getString(b);
    int n = b.getInt();
    TreeMap<String, Entry> m = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String name = getString(b);
      String id = getString(b);
      m.put(name, new Entry(id, Type.values()[b.get()]));
    }
    return new Inode(type, m, size, key.isEmpty() ? Optional.empty() : Optional.of(key));
  }

  private int estimate() {
    int n = dataKey.map(k -> k.length() * 4).orElse(0);
    for (var e : entries.entrySet()) {
      n += 13 + 4 * (e.getKey().length() + e.getValue().id().length());
    }
    return n;
  }

  private static void putString(ByteBuffer b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.putInt(bytes.length).put(bytes);
  }

  private static String getString(ByteBuffer b) {
    byte[] bytes = new byte[b.getInt()];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
