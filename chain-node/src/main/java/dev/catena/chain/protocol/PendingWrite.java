package dev.catena.chain.protocol;

import dev.catena.proto.v1.WriteOp;
import dev.catena.proto.v1.WriteResult;
import java.util.ArrayList;
import java.util.List;

/** A write a replica holds but has not yet passed upstream, with the client calls awaiting it. */
final class PendingWrite {
  final WriteOp op;
  final String key;
  final WriteResult result;

  /** The write's encoded size, counted against the window's bound in bytes. */
  final int size;

  final List<Long> waitingCalls = new ArrayList<>(1);

  PendingWrite(WriteOp op, WriteResult result) {
    this.op = op;
    this.key = WriteOps.keyOf(op);
    this.result = result;
    this.size = op.getSerializedSize();
  }
}
