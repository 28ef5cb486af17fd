package io.shardsync.sink;

import io.shardsync.config.DeliveryMode;
import io.shardsync.config.ShardConfig;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.MetricNames;
import io.shardsync.model.Op;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

/**
 * Collects one shard's changes, one per row (a later change of a row replaces the earlier one).
 *
 * <p>Changes held for the checkpoint become a {@link ShardTransaction} committed when the
 * checkpoint completes: every change in exactly-once mode, and snapshot reads in idempotent mode (a
 * snapshot chunk re-read after a failure must not leave rows the source deleted meanwhile). Binlog
 * changes in idempotent mode are written at once, in guarded batches.
 */
class ShardWriter implements CommittingSinkWriter<ChangeEvent, ShardTransaction> {
    private final DeliveryMode delivery;
    private final ShardStatements statements;
    private final ShardConnection connection;
    private final int batchSize;
    private final long flushIntervalMs;
    private final ProcessingTimeService time;
    private final Map<String, ChangeEvent> forCheckpoint = new LinkedHashMap<>();
    private final Map<String, ChangeEvent> immediate = new LinkedHashMap<>();
    private final Counter rowsWritten;
    private final Counter rowsDeleted;
    private final Counter rejected;

    ShardWriter(
            ShardConfig shard,
            DeliveryMode delivery,
            ShardStatements statements,
            int batchSize,
            long flushIntervalMs,
            ProcessingTimeService time,
            MetricGroup metrics) {
        this.delivery = delivery;
        this.statements = statements;
        this.connection = new ShardConnection(shard);
        this.batchSize = batchSize;
        this.flushIntervalMs = flushIntervalMs;
        this.time = time;
        MetricGroup group = metrics.addGroup(MetricNames.GROUP);
        this.rowsWritten = group.counter(MetricNames.ROWS_WRITTEN);
        group.meter(MetricNames.ROWS_WRITTEN_RATE, new MeterView(rowsWritten));
        this.rowsDeleted = group.counter(MetricNames.ROWS_DELETED);
        this.rejected = group.counter(MetricNames.REJECTED);
        if (delivery == DeliveryMode.IDEMPOTENT) {
            scheduleFlush();
        }
    }

    @Override
    public void write(ChangeEvent change, Context context)
            throws IOException, InterruptedException {
        if (delivery == DeliveryMode.EXACTLY_ONCE || change.op == Op.READ) {
            forCheckpoint.put(change.rowKey(), change);
            return;
        }
        immediate.put(change.rowKey(), change);
        if (immediate.size() >= batchSize) {
            flushImmediate();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        flushImmediate();
    }

    @Override
    public Collection<ShardTransaction> prepareCommit() {
        if (forCheckpoint.isEmpty()) {
            return List.of();
        }
        List<ChangeEvent> changes = new ArrayList<>(forCheckpoint.values());
        forCheckpoint.clear();
        count(changes);
        return List.of(new ShardTransaction(UUID.randomUUID().toString(), changes));
    }

    private void scheduleFlush() {
        time.registerTimer(
                time.getCurrentProcessingTime() + flushIntervalMs,
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
            connection.inTransaction(
                    c -> {
                        rejected.inc(statements.apply(c, changes));
                        return null;
                    });
        } catch (SQLException e) {
            throw new IOException("writing " + changes.size() + " changes failed", e);
        }
        immediate.clear();
        count(changes);
    }

    private void count(List<ChangeEvent> changes) {
        for (ChangeEvent change : changes) {
            (change.op.writesRow() ? rowsWritten : rowsDeleted).inc();
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
