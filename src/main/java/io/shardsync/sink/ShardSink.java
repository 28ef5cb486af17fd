package io.shardsync.sink;

import io.shardsync.config.DeliveryMode;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.SinkConfig;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.SyncTable;
import java.time.Duration;
import java.util.List;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * The sink of one shard: a {@link ShardWriter} and, on checkpoint completion, a {@link
 * ShardCommitter}.
 */
public class ShardSink implements Sink<ChangeEvent>, SupportsCommitter<ShardTransaction> {
    private final ShardConfig shard;
    private final DeliveryMode delivery;
    private final SinkConfig sinkConfig;
    private final Duration tombstoneRetention;
    private final ShardStatements statements;

    public ShardSink(
            ShardConfig shard,
            List<SyncTable> tables,
            DeliveryMode delivery,
            SinkConfig sinkConfig,
            Duration tombstoneRetention) {
        this.shard = shard;
        this.delivery = delivery;
        this.sinkConfig = sinkConfig;
        this.tombstoneRetention = tombstoneRetention;
        this.statements =
                new ShardStatements(
                        tables, delivery == DeliveryMode.IDEMPOTENT, sinkConfig.batchSize());
    }

    @Override
    public CommittingSinkWriter<ChangeEvent, ShardTransaction> createWriter(
            WriterInitContext context) {
        return new ShardWriter(
                shard,
                delivery,
                statements,
                sinkConfig.batchSize(),
                sinkConfig.flushInterval().toMillis(),
                context.getProcessingTimeService(),
                context.metricGroup());
    }

    /** Flink 1.20 calls {@link #createWriter(WriterInitContext)}; this older entry is not used. */
    @Override
    @Deprecated
    public CommittingSinkWriter<ChangeEvent, ShardTransaction> createWriter(InitContext context) {
        throw new UnsupportedOperationException("needs a WriterInitContext (Flink 1.20+)");
    }

    @Override
    public Committer<ShardTransaction> createCommitter(CommitterInitContext context) {
        return new ShardCommitter(
                shard,
                statements,
                sinkConfig.commitRetention(),
                tombstoneRetention,
                context.metricGroup());
    }

    @Override
    public SimpleVersionedSerializer<ShardTransaction> getCommittableSerializer() {
        return new ShardTransactionSerializer();
    }
}
