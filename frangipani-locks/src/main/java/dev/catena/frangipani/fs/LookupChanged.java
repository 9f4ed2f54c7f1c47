package dev.catena.frangipani.fs;

/**
 * What a namespace operation saw during its lookup changed before it held the locks (an inode it
 * passed was removed, an entry now points elsewhere): the operation starts again. Control flow
 * only; never leaves {@link FileSystem}.
 */
final class LookupChanged extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LookupChanged() {
    super(null, null, false, false);
  }
}
