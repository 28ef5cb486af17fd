package io.shardsync.model;

/** Why a change was reported instead of (or as well as) applied (README "Side outputs"). */
public enum ConflictKind {
    /** Older than the row's last applied version; not applied. */
    STALE_VERSION,
    /** Same version as the last applied one, different content; not applied. */
    SAME_VERSION_DIFFERENT_DATA,
    /** Arrived behind the watermark; merged by version anyway (applied when newer). */
    LATE,
    /**
     * The shard refused the row for its data (constraint, range, length), or the row belongs on no
     * shard (a map rule's unlisted value, no shard named); the error says why.
     */
    TARGET_REJECTED,
    /** A shard stayed unreachable past the alert threshold; writes are retried until it returns. */
    SHARD_UNREACHABLE,
    /**
     * A DDL of the table at the source that the shards did not get; the error says what it does.
     */
    SCHEMA_CHANGE_IGNORED,
    /**
     * A kafka source's message that is no change of a synced table in the source's format; the
     * error names its topic, partition, offset and why. Skipped.
     */
    MALFORMED_MESSAGE
}
