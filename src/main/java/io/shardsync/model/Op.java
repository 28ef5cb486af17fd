package io.shardsync.model;

/** What happened to a row at the source. */
public enum Op {
    /** Read by the initial snapshot. */
    READ,
    INSERT,
    UPDATE,
    DELETE;

    /** Whether the row exists after this change. */
    public boolean writesRow() {
        return this != DELETE;
    }
}
