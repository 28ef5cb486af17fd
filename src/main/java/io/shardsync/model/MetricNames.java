package io.shardsync.model;

/** Names of the job's metrics: one group, nouns in camelCase. */
public final class MetricNames {
    public static final String GROUP = "shardsync";
    public static final String APPLIED = "appliedChanges";
    public static final String APPLIED_RATE = "appliedChangesPerSecond";
    public static final String SNAPSHOT_ROWS = "snapshotRows";
    public static final String DUPLICATES = "duplicateChanges";
    public static final String STALE = "staleChanges";
    public static final String SAME_VERSION_CONFLICTS = "sameVersionConflicts";
    public static final String LATE = "lateChanges";
    public static final String SOURCE_LAG = "sourceLagMs";
    public static final String WATERMARK_LAG = "watermarkLagMs";
    public static final String MOVES = "shardKeyMoves";
    public static final String SCHEMA_CHANGES = "schemaChanges";
    public static final String SCHEMA_CHANGES_IGNORED = "schemaChangesIgnored";
    public static final String ROWS_WRITTEN = "rowsWritten";
    public static final String ROWS_WRITTEN_RATE = "rowsWrittenPerSecond";
    public static final String ROWS_DELETED = "rowsDeleted";
    public static final String REJECTED = "rejectedChanges";
    public static final String UNREACHABLE = "shardUnreachable";
    public static final String MALFORMED = "malformedMessages";
    public static final String END_TO_END_LATENCY = "endToEndLatencyMs";
    public static final String JOB_TO_SHARD_LATENCY = "jobToShardLatencyMs";

    /** Key of the per-table subgroup: {@code shardsync.table.<database.table>.<metric>}. */
    public static final String TABLE = "table";

    private MetricNames() {}

    /** The counter of each kind of conflict record, so a reader of the metrics can name it. */
    public static String counterOf(ConflictKind kind) {
        return switch (kind) {
            case STALE_VERSION -> STALE;
            case SAME_VERSION_DIFFERENT_DATA -> SAME_VERSION_CONFLICTS;
            case LATE -> LATE;
            case TARGET_REJECTED -> REJECTED;
            case SHARD_UNREACHABLE -> UNREACHABLE;
            case SCHEMA_CHANGE_IGNORED -> SCHEMA_CHANGES_IGNORED;
            case MALFORMED_MESSAGE -> MALFORMED;
        };
    }
}
