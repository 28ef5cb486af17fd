package io.shardsync.model;

/**
 * A change that was reported instead of (or as well as) applied: the incoming change with its row
 * images and binlog position, the row's version when it arrived, and for shard-side kinds the shard
 * and the database error. {@code SHARD_UNREACHABLE} and {@code MALFORMED_MESSAGE} carry no change.
 */
public class Conflict {
    public ConflictKind kind;
    public ChangeEvent incoming;

    /** The row's last applied version when the change arrived; null if none. */
    public RowVersion current;

    public boolean applied;

    /** The shard that refused or could not be reached; null for merge conflicts. */
    public String shard;

    /**
     * The database error of shard-side kinds, what an ignored schema change does, or where a
     * malformed message is and why; null for the other merge conflicts.
     */
    public String error;

    public long detectedAtMs;

    public Conflict() {}

    public Conflict(ConflictKind kind, ChangeEvent incoming, RowVersion current, boolean applied) {
        this.kind = kind;
        this.incoming = incoming;
        this.current = current;
        this.applied = applied;
        this.detectedAtMs = System.currentTimeMillis();
    }

    /** A conflict raised by a shard: a rejected change, or an outage (no change). */
    public static Conflict atShard(
            ConflictKind kind, ChangeEvent incoming, String shard, String error, long atMs) {
        Conflict conflict = new Conflict(kind, incoming, null, false);
        conflict.shard = shard;
        conflict.error = error;
        conflict.detectedAtMs = atMs;
        return conflict;
    }

    @Override
    public String toString() {
        return kind
                + (applied ? " (applied) " : " ")
                + (incoming == null ? "" : incoming + " current v" + current)
                + (shard == null ? "" : " on " + shard + ": " + error);
    }
}
