package io.shardsync.verify;

import java.util.List;

/**
 * One row on which the shards disagree with the source. {@code shards} names where the wrong copy
 * is (or, for a missing row, the shard that should hold it); {@code columns} lists the columns that
 * differ. A {@code SCHEMA} difference is about a column, not a row: its key is empty.
 */
public record Difference(
        String table, Kind kind, List<String> key, List<String> shards, List<String> columns) {

    /** What is wrong with the row. */
    public enum Kind {
        /** At the source, on no shard that should hold it. */
        MISSING,
        /** On a shard, not at the source. */
        EXTRA,
        /** On its shard with other values. */
        DIFFERENT,
        /** On one shard, but not the one the router assigns. */
        WRONG_SHARD,
        /** On more than one shard. */
        DUPLICATED,
        /**
         * A column that the source and a shard's table do not both have with one type; the rows are
         * compared on the columns they do share, and repair leaves it to a DDL.
         */
        SCHEMA
    }
}
