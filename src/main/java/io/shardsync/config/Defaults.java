package io.shardsync.config;

import java.time.Duration;

/** Every default of the job config, in one place. */
public final class Defaults {
    /** Job name shown in the Flink web UI. */
    public static final String NAME = "shardsync";

    /** Source ids in events and reports: this prefix and the source's position, from 1. */
    public static final String SOURCE_ID_PREFIX = "source-";

    /** Time zone of the source server, for DATETIME/TIMESTAMP decoding. */
    public static final String SERVER_TIME_ZONE = "UTC";

    /** Where a kafka source without restored offsets starts: the topics' first messages. */
    public static final KafkaSourceConfig.StartingOffsets STARTING_OFFSETS =
            KafkaSourceConfig.StartingOffsets.EARLIEST;

    /** Rows per snapshot chunk (Flink CDC splitSize). */
    public static final int SPLIT_SIZE = 8096;

    /**
     * How long a source reader holding an unfinished snapshot chunk may have nothing to give before
     * it is failed and restarted (a Flink CDC hang, see SnapshotStallGuard).
     */
    public static final Duration SNAPSHOT_STALL_TIMEOUT = Duration.ofMinutes(10);

    /** How a shard key picks a shard. */
    public static final ShardRule.Kind SHARD_RULE = ShardRule.Kind.MOD;

    /** How writes reach the shards. */
    public static final DeliveryMode DELIVERY = DeliveryMode.EXACTLY_ONCE;

    /** When the merge applies a row's changes: latest-wins or ordered. */
    public static final MergeMode MERGE_MODE = MergeMode.LATEST_WINS;

    /** Parallelism of every operator (the source needs one server id per subtask). */
    public static final int PARALLELISM = 1;

    /** Checkpoint interval; in exactly-once mode also the write latency. */
    public static final Duration CHECKPOINT_INTERVAL = Duration.ofSeconds(5);

    /** Bounded out-of-orderness of event time (source commit time). */
    public static final Duration OUT_OF_ORDERNESS = Duration.ofSeconds(2);

    /**
     * After this long without changes, event time follows the job's clock (minus this and
     * outOfOrderness, so a transaction running meanwhile does not come out late).
     */
    public static final Duration SOURCE_IDLENESS = Duration.ofSeconds(5);

    /** How long (event time) a deleted row's tombstone blocks stale writes. */
    public static final Duration TOMBSTONE_RETENTION = Duration.ofHours(1);

    /** What a schema change of a synced table does: every shard follows it. */
    public static final SchemaChangePolicy SCHEMA_CHANGES = SchemaChangePolicy.EVOLVE;

    /** Rows per multi-row statement. */
    public static final int BATCH_SIZE = 500;

    /** Idempotent mode: longest time a change waits in the writer's buffer. */
    public static final Duration FLUSH_INTERVAL = Duration.ofMillis(200);

    /** How long shards remember committed transaction ids (bounds how old a restore may be). */
    public static final Duration COMMIT_RETENTION = Duration.ofDays(7);

    /** How long a shard may stay unreachable before a SHARD_UNREACHABLE conflict reports it. */
    public static final Duration UNREACHABLE_AFTER = Duration.ofSeconds(10);

    /** Database of the sync_conflicts and sync_latency tables on the control database server. */
    public static final String CONTROL_DATABASE = "shardsync_control";

    /** How long sync_conflicts keeps a conflict (the record to investigate a loss with). */
    public static final Duration CONFLICT_RETENTION = Duration.ofDays(30);

    /** How long sync_latency keeps a latency sample. */
    public static final Duration LATENCY_RETENTION = Duration.ofDays(7);

    /** Kafka producer transaction timeout; at most the broker's transaction.max.timeout.ms. */
    public static final Duration KAFKA_TRANSACTION_TIMEOUT = Duration.ofMinutes(10);

    /** One latency sample record per this many changes written to a shard. */
    public static final int LATENCY_SAMPLE_EVERY = 100;

    private Defaults() {}
}
