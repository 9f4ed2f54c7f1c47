package dev.catena.tests.bench.compare;

import dev.catena.chain.storage.ChainMutation;
import dev.catena.chain.storage.FsyncPolicy;
import dev.catena.chain.storage.LevelDbObjectStore;
import dev.catena.chain.storage.VersionedValue;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;

/**
 * The Raft reference's state machine: committed puts are stored in the same LevelDB store Catena's
 * nodes use ({@link LevelDbObjectStore}, one chain id, the log index as version), reads are served
 * from it. The Raft log is the durable record (it is flushed per {@link RatisSettings}), so the
 * store itself writes without fsync ({@link FsyncPolicy#NONE}), as Raft state machines usually do:
 * after a crash the log replays into it. No snapshots (the benchmark's logs stay small enough).
 */
final class KvStateMachine extends BaseStateMachine {
  private static final int CHAIN = 0;
  private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
  private final Path dir;
  private LevelDbObjectStore store;

  KvStateMachine(Path dir) {
    this.dir = dir;
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    store = LevelDbObjectStore.open(dir, FsyncPolicy.NONE);
  }

  @Override
  public SimpleStateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    ByteBuffer data = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
    KvCodec.Put put = KvCodec.decodePut(data);
    byte[] value = new byte[put.value().remaining()];
    put.value().get(value);
    CompletableFuture<Void> done =
        store.apply(
            ChainMutation.of(
                CHAIN,
                List.of(new ChainMutation.Put(put.key(), value, entry.getIndex())),
                List.of()));
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    return done.thenApply(v -> Message.EMPTY);
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    byte[] key = request.getContent().toByteArray();
    Optional<VersionedValue> v = store.get(CHAIN, key);
    if (v.isEmpty()) {
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(v.get().value())));
  }

  @Override
  public void close() throws IOException {
    super.close();
    if (store != null) {
      store.close();
    }
  }
}
