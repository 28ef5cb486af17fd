package io.shardsync.merge;

import io.shardsync.model.RowVersion;

/**
 * What the merge remembers per row: the last applied version and the source it came from, a hash of
 * its content (to tell a duplicate from a conflict) and, for a deleted row, the event-time timer
 * that expires its tombstone.
 */
public class MergeState {
    public RowVersion version;
    public String sourceId;
    public long contentHash;
    public boolean deleted;

    /** Event time at which the tombstone is dropped; 0 for a live row. */
    public long tombstoneExpiry;

    public MergeState() {}
}
