package io.shardsync.config;

import java.io.Serializable;
import java.util.List;

/**
 * One synced table. {@code primaryKey} is empty when it is to be detected from the source; {@code
 * shardKey} is null for a table copied to every shard; {@code versionColumn} is null when the
 * binlog position orders the row's versions; {@code schemaChanges} is the table's policy (the job's
 * unless the table names one); {@code changesTopic} is the Kafka topic its applied changes are
 * published to (resolved from the job's or the table's template), null for none; {@code where} is a
 * MySQL condition a row must meet to be synced (null: every row).
 */
public record TableConfig(
        String database,
        String table,
        List<String> primaryKey,
        String shardKey,
        ShardRule shardRule,
        String versionColumn,
        SchemaChanges schemaChanges,
        String changesTopic,
        String where)
        implements Serializable {

    public String qualifiedName() {
        return database + "." + table;
    }
}
