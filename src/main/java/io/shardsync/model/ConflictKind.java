package io.shardsync.model;

/** Why a change was not applied as it came (DESIGN.md §4). */
public enum ConflictKind {
    /** Older than the row's last applied version. */
    STALE_VERSION,
    /** Same version as the last applied one, different content. */
    SAME_VERSION_DIFFERENT_DATA,
    /** Arrived behind the watermark; still merged by version. */
    LATE
}
