package dev.catena.tests.history;

/** Kind of a register operation on one key. */
public enum OpType {
  /** Reads the key; its output is the value seen, or {@code null} when the key was absent. */
  READ,
  /** Writes the operation's input value to the key. */
  WRITE,
  /** Removes the key; afterwards reads see it absent. */
  DELETE
}
