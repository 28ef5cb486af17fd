package io.shardsync.sink;

import io.shardsync.config.DeliveryMode;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.SinkConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.jdbc.RetryingConnection;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import io.shardsync.model.SideOutputs;
import io.shardsync.model.SyncTable;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.ChainingStrategy;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The sink of one shard, as a two-phase commit without XA. Changes are compacted to one per row and
 * held serialized ({@link NextTransaction}); at each checkpoint they become a {@link
 * ShardTransaction} with a random id, kept in the operator's state, and committed by {@link
 * ShardCommits} when that checkpoint completes. After a restore the restored transactions are
 * committed (or found committed) first. What the shard did with the changes (rejections, an outage,
 * latency) goes to the conflicts and latency side outputs, so it reaches the destinations with the
 * checkpoint that follows the commit.
 *
 * <p>A schema change of a table comes between the changes before and after it, and is applied to
 * the shard there once ({@link ShardDdl}); changes are written in the shard's current terms ({@link
 * ShardSchemas}).
 *
 * <p>Exactly-once mode sends every change through a transaction. Idempotent mode writes binlog
 * changes at once, in version-guarded batches; snapshot reads still take the transaction path (a
 * snapshot chunk re-read after a failure must not leave rows the source deleted meanwhile).
 */
public class ShardSinkOperator extends AbstractStreamOperator<Void>
        implements OneInputStreamOperator<ChangeEvent, Void> {
    static final ListStateDescriptor<byte[]> PENDING =
            new ListStateDescriptor<>(
                    "pending-shard-transactions",
                    PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
    private static final ShardTransactionSerializer SERIALIZER = new ShardTransactionSerializer();

    /**
     * Idempotent mode: full statements ({@code sink.batchSize} rows) written in one shard
     * transaction when changes arrive faster than the flush interval, so a backlog pays the
     * transaction's own queries (savepoint, schema check, commit) once per this many statements.
     */
    private static final int STATEMENTS_PER_FLUSH = 8;

    private final ShardConfig shard;
    private final int position;
    private final List<SyncTable> tables;
    private final DeliveryMode delivery;
    private final SinkConfig sink;
    private final Duration tombstoneRetention;
    private final int latencySampleEvery;

    private transient ShardStatements statements;
    private transient RetryingConnection connection;
    private transient ShardCommits commits;
    private transient CommitReporter reporter;
    private transient ListState<byte[]> pendingState;

    /**
     * Transactions of checkpoints not yet known complete, by checkpoint id, each as the checkpoint
     * holds it (versioned {@link ShardTransactionSerializer} bytes), read only to commit it.
     */
    private transient NavigableMap<Long, List<byte[]>> pending;

    private transient NextTransaction next;
    private transient Map<String, ChangeEvent> immediate;

    /** The sink of {@code shard}, at {@code position} of the config's shards. */
    public ShardSinkOperator(
            ShardConfig shard,
            int position,
            List<SyncTable> tables,
            DeliveryMode delivery,
            SinkConfig sink,
            Duration tombstoneRetention,
            int latencySampleEvery) {
        this.shard = shard;
        this.position = position;
        this.tables = tables;
        this.delivery = delivery;
        this.sink = sink;
        this.tombstoneRetention = tombstoneRetention;
        this.latencySampleEvery = latencySampleEvery;
        // In the router's task: changes reach the sink without another serialization.
        setChainingStrategy(ChainingStrategy.ALWAYS);
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
        super.initializeState(context);
        pendingState = context.getOperatorStateStore().getListState(PENDING);
        pending = new TreeMap<>();
        for (byte[] entry : pendingState.get()) {
            DataInputDeserializer in = new DataInputDeserializer(entry);
            long checkpointId = in.readLong();
            byte[] transaction = new byte[in.available()];
            in.readFully(transaction);
            pending.computeIfAbsent(checkpointId, id -> new ArrayList<>()).add(transaction);
        }
    }

    @Override
    public void open() throws Exception {
        super.open();
        statements =
                new ShardStatements(
                        tables, position, delivery == DeliveryMode.IDEMPOTENT, sink.batchSize());
        reporter =
                new CommitReporter(
                        shard.name(),
                        tables.stream().map(SyncTable::written).toList(),
                        latencySampleEvery,
                        getMetricGroup(),
                        conflict ->
                                output.collect(SideOutputs.CONFLICTS, new StreamRecord<>(conflict)),
                        sample -> output.collect(SideOutputs.LATENCY, new StreamRecord<>(sample)));
        connection =
                new RetryingConnection(
                        "Shard " + shard.name(),
                        () -> Connections.shard(shard),
                        sink.unreachableAfter().toMillis(),
                        reporter::unreachable);
        commits =
                new ShardCommits(
                        connection,
                        statements,
                        new ShardDdl(shard.name()),
                        sink.commitRetention(),
                        tombstoneRetention);
        next = new NextTransaction();
        immediate = new LinkedHashMap<>();
        // Restored transactions belong to a completed checkpoint: commit them before anything new.
        commitUpTo(Long.MAX_VALUE);
        if (delivery == DeliveryMode.IDEMPOTENT) {
            scheduleFlush();
        }
    }

    @Override
    public void processElement(StreamRecord<ChangeEvent> element) throws Exception {
        ChangeEvent change = element.getValue();
        if (change.op == Op.DDL) {
            schemaChange(change);
            return;
        }
        if (delivery == DeliveryMode.EXACTLY_ONCE || change.op == Op.READ) {
            next.add(change);
            return;
        }
        immediate.put(change.targetRowKey(), change);
        if (immediate.size() >= STATEMENTS_PER_FLUSH * sink.batchSize()) {
            flushImmediate();
        }
    }

    /**
     * A schema change of a table: exactly-once, it takes its place in the checkpoint's transaction,
     * between the changes before and after it; idempotent, the changes before it are written and it
     * is applied at once.
     */
    private void schemaChange(ChangeEvent ddl) throws Exception {
        if (delivery == DeliveryMode.EXACTLY_ONCE) {
            next.addSchemaChange(ddl);
            return;
        }
        flushImmediate();
        commits.applySchemaChange(ddl);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flushImmediate();
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
        super.snapshotState(context);
        if (!next.isEmpty()) {
            pending.computeIfAbsent(context.getCheckpointId(), id -> new ArrayList<>())
                    .add(next.take());
        }
        List<byte[]> entries = new ArrayList<>();
        for (Map.Entry<Long, List<byte[]>> byCheckpoint : pending.entrySet()) {
            for (byte[] transaction : byCheckpoint.getValue()) {
                DataOutputSerializer out = new DataOutputSerializer(transaction.length + 8);
                out.writeLong(byCheckpoint.getKey());
                out.write(transaction);
                entries.add(out.getCopyOfBuffer());
            }
        }
        pendingState.update(entries);
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        commitUpTo(checkpointId);
    }

    /** Commits, in checkpoint order, the transactions of every checkpoint up to the given one. */
    private void commitUpTo(long checkpointId)
            throws IOException, SQLException, InterruptedException {
        NavigableMap<Long, List<byte[]>> due = pending.headMap(checkpointId, true);
        for (List<byte[]> transactions : due.values()) {
            for (byte[] serialized : transactions) {
                ShardTransaction transaction =
                        SimpleVersionedSerialization.readVersionAndDeSerialize(
                                SERIALIZER, serialized);
                ShardCommits.Outcome outcome = commits.commit(transaction);
                reporter.committed(
                        transaction.changes(), outcome.rejections(), outcome.committedAtMs());
            }
        }
        due.clear();
    }

    private void scheduleFlush() {
        long next =
                getProcessingTimeService().getCurrentProcessingTime()
                        + sink.flushInterval().toMillis();
        getProcessingTimeService()
                .registerTimer(
                        next,
                        timestamp -> {
                            flushImmediate();
                            scheduleFlush();
                        });
    }

    private void flushImmediate() throws IOException, InterruptedException {
        if (immediate.isEmpty()) {
            return;
        }
        List<ChangeEvent> changes = new ArrayList<>(immediate.values());
        try {
            List<Rejection> rejections =
                    connection.inTransaction(c -> statements.apply(c, null, changes));
            reporter.committed(changes, rejections, System.currentTimeMillis());
            // snapshot reads are this mode's only transactions: tombstones expire here too
            commits.cleanUpIfDue();
        } catch (SQLException e) {
            throw new IOException("writing " + changes.size() + " changes failed", e);
        }
        immediate.clear();
    }

    @Override
    public void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
        super.close();
    }
}
