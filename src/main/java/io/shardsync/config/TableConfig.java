package io.shardsync.config;

import java.io.Serializable;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One synced table, or, with {@code databasePattern} or {@code tablePattern} (Java regular
 * expressions matching whole names; {@code database} or {@code table} are then null), every source
 * table they match, each synced as if listed alone ({@link #named}). {@code primaryKey} is empty
 * when it is to be detected from the source; {@code shardKey} is null for a table copied to every
 * shard; {@code versionColumn} is null when the binlog position orders the row's versions; {@code
 * schemaChanges} is the table's policy (the job's unless the table names one); {@code changesTopic}
 * is the Kafka topic its applied changes are published to (resolved from the job's or the table's
 * template), null for none; {@code where} is a MySQL condition a row must meet to be synced (null:
 * every row); {@code tableSharding} splits its rows over several tables on each shard (null: one);
 * {@code target} names where they are written, {@code columns} which columns, under which names.
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
        String where,
        String databasePattern,
        String tablePattern,
        TableSharding tableSharding,
        TargetTemplate target,
        ColumnTransforms columns)
        implements Serializable {

    public String qualifiedName() {
        return database + "." + table;
    }

    /** The entry as its names or patterns give it, e.g. {@code app.orders_\d+}. */
    public String entryName() {
        return (database == null ? databasePattern : database)
                + "."
                + (table == null ? tablePattern : table);
    }

    /** Whether the entry names its tables by pattern. */
    public boolean byPattern() {
        return databasePattern != null || tablePattern != null;
    }

    /**
     * Which tables {@code (database, table)} the entry names, its patterns compiled once: ask it
     * for every table rather than compiling per table.
     */
    public BiPredicate<String, String> namedTables() {
        Predicate<String> databases = nameMatcher(database, databasePattern);
        Predicate<String> tables = nameMatcher(table, tablePattern);
        return (database, table) -> databases.test(database) && tables.test(table);
    }

    private static Predicate<String> nameMatcher(String name, String pattern) {
        return pattern == null ? name::equals : Pattern.compile(pattern).asMatchPredicate();
    }

    /**
     * The entry for one table it names by pattern: the table's names, its change topic resolved.
     *
     * @throws IllegalArgumentException when the topic template gives that table no topic name
     */
    public TableConfig named(String database, String table) {
        return new TableConfig(
                database,
                table,
                primaryKey,
                shardKey,
                shardRule,
                versionColumn,
                schemaChanges,
                changesTopic == null ? null : ChangeTopics.resolved(changesTopic, database, table),
                where,
                null,
                null,
                tableSharding,
                target,
                columns);
    }
}
