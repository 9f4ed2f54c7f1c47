package dev.catena.tests.sim;

import dev.catena.proto.v1.DedupItem;
import dev.catena.proto.v1.DedupWindow;
import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;

/**
 * The simulated store's model of exactly-once records ({@link SimStorage}): one window per client
 * on one chain (DESIGN §4 invariant 8; the real store keeps one record per request), as pure
 * functions: the window after a write keeps the results at or above the client's {@code
 * acked_below} (the highest seen), replaces an earlier result of the same request and adds this
 * one; two windows of one client merge into their union above the higher acked mark.
 */
final class DedupWindows {
  private DedupWindows() {}

  /** The window that follows {@code old} once {@code op} was applied with {@code result}. */
  static DedupWindow next(DedupWindow old, WriteOp op, WriteResult result) {
    long below = Math.max(old.getAckedBelow(), op.getAckedBelow());
    var b = DedupWindow.newBuilder().setAckedBelow(below);
    for (DedupItem i : old.getItemsList()) {
      if (i.getRequestSeq() >= below && i.getRequestSeq() != op.getRequestSeq()) {
        b.addItems(i);
      }
    }
    b.addItems(DedupItem.newBuilder().setRequestSeq(op.getRequestSeq()).setResult(result));
    return b.build();
  }

  /**
   * The union of two windows of one client (items by request seq; {@code a}'s item wins where both
   * hold one, though one request has one result), above the higher acked mark.
   */
  static DedupWindow merge(DedupWindow a, DedupWindow b) {
    long below = Math.max(a.getAckedBelow(), b.getAckedBelow());
    var items = new java.util.TreeMap<Long, DedupItem>();
    for (DedupItem i : b.getItemsList()) {
      items.put(i.getRequestSeq(), i);
    }
    for (DedupItem i : a.getItemsList()) {
      items.put(i.getRequestSeq(), i);
    }
    return DedupWindow.newBuilder()
        .setAckedBelow(below)
        .addAllItems(items.tailMap(below, true).values())
        .build();
  }
}
