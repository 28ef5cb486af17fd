package io.shardsync.sink;

/**
 * The job's bookkeeping tables on every shard, in their own schema: committed transaction ids (so a
 * transaction re-committed after a restore is skipped), tombstones of deleted rows (so a replayed
 * older write cannot bring a row back in idempotent mode), changes the shard rejected, and the
 * schema changes it applied (so each runs once).
 */
final class ControlTables {
    static final String SCHEMA = "shardsync";
    static final String COMMITS = SCHEMA + ".commits";

    /** Replaces 0.1's {@code tombstones} (version column value only, keys up to 700 characters). */
    static final String TOMBSTONES = SCHEMA + ".row_tombstones";

    static final String REJECTED = SCHEMA + ".rejected_changes";

    /** The schema changes each table went through on the shard, each recorded before it runs. */
    static final String SCHEMA_CHANGES = SCHEMA + ".schema_changes";

    static final String[] CREATE = {
        // utf8mb4 whatever the server's default: keys and row images hold any text
        "CREATE DATABASE IF NOT EXISTS " + SCHEMA + " CHARACTER SET utf8mb4",
        "CREATE TABLE IF NOT EXISTS "
                + COMMITS
                + " (txn_id CHAR(36) NOT NULL PRIMARY KEY,"
                + " committed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
                + " KEY (committed_at)) DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE IF NOT EXISTS "
                + TOMBSTONES
                + " (row_hash BINARY(32) NOT NULL PRIMARY KEY, table_name VARCHAR(200) NOT NULL,"
                + " source_id VARCHAR(64) NOT NULL,"
                + " version_order BINARY(28) NOT NULL,"
                + " deleted_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
                + " KEY (deleted_at)) DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE IF NOT EXISTS "
                + REJECTED
                + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, txn_id CHAR(36), table_name VARCHAR(200) NOT NULL,"
                + " row_key VARCHAR(700) NOT NULL, op VARCHAR(8) NOT NULL, version VARCHAR(100) NOT NULL,"
                + " binlog_file VARCHAR(100), error TEXT NOT NULL, row_image LONGTEXT,"
                + " rejected_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), KEY (table_name),"
                + " KEY (txn_id), KEY (rejected_at)) DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE IF NOT EXISTS "
                + SCHEMA_CHANGES
                + " (table_name VARCHAR(200) NOT NULL, source_id VARCHAR(64) NOT NULL,"
                + " file_index BIGINT NOT NULL, position BIGINT NOT NULL, action VARCHAR(16) NOT NULL,"
                + " renamed TEXT NOT NULL, statement LONGTEXT NOT NULL, done BOOLEAN NOT NULL,"
                + " changed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
                + " PRIMARY KEY (table_name, source_id, file_index, position)) DEFAULT CHARSET=utf8mb4"
    };

    private ControlTables() {}
}
