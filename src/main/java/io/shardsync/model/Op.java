package io.shardsync.model;

/** What happened to a row at the source. */
public enum Op {
    /** Read by the initial snapshot. */
    READ,
    INSERT,
    UPDATE,
    DELETE,
    /**
     * A DDL of the table that the job reports and does not apply ({@code schemaChanges: ignore}, or
     * a change that leaves the rows as they are); its after image holds the statement and what it
     * changes. The merge reports it and passes nothing on.
     */
    DDL;

    /** Whether the row exists after this change (a DDL is no row change). */
    public boolean writesRow() {
        return this != DELETE && this != DDL;
    }
}
