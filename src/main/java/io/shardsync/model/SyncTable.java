package io.shardsync.model;

import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardRule;
import io.shardsync.config.TableSharding;
import io.shardsync.jdbc.Identifiers;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A synced table with its columns resolved: which columns form the primary key, which picks the
 * shard (-1: every shard), which orders versions (-1: binlog position) and which form each
 * secondary UNIQUE key; what a change of its schema at the source does, which rows it keeps and
 * where on the shards they are written.
 */
public record SyncTable(
        String database,
        String table,
        List<Column> columns,
        int[] keyIndexes,
        int shardKeyIndex,
        ShardRule shardRule,
        int versionIndex,
        List<int[]> uniqueKeys,
        String createStatement,
        SchemaChanges schemaChanges,
        String where,
        TargetLayout layout)
        implements Serializable {
    private static final Pattern CREATE_TABLE =
            Pattern.compile("^CREATE TABLE (`(?:[^`]|``)+`)", Pattern.CASE_INSENSITIVE);

    /** A table whose every row is synced (no {@code where}). */
    public SyncTable(
            String database,
            String table,
            List<Column> columns,
            int[] keyIndexes,
            int shardKeyIndex,
            ShardRule shardRule,
            int versionIndex,
            List<int[]> uniqueKeys,
            String createStatement,
            SchemaChanges schemaChanges) {
        this(
                database,
                table,
                columns,
                keyIndexes,
                shardKeyIndex,
                shardRule,
                versionIndex,
                uniqueKeys,
                createStatement,
                schemaChanges,
                null,
                TargetLayout.SOURCE_NAMES);
    }

    public String qualifiedName() {
        return database + "." + table;
    }

    /**
     * The target's name on a shard ({@code database.table} of its {@code target} templates), which
     * its tables there are named after; the same whatever its rules (a reshard keeps it).
     */
    public String targetName(int shard) {
        Map<String, Object> names = Map.of("database", database, "table", table, "shard", shard);
        return layout.target().database().resolve(names)
                + "."
                + layout.target().table().resolve(names);
    }

    /**
     * The tables it is written to on a shard, by table index: this table under the target's names,
     * {@code shard} the shard's position in the config's {@code shards} and {@code newShards}.
     */
    public List<SyncTable> targetsOn(int shard) {
        if (layout.columns() != null) {
            return written().targetsOn(shard);
        }
        if (layout.asAtSource()) {
            return List.of(this);
        }
        Map<String, Object> names = Map.of("database", database, "table", table, "shard", shard);
        String targetDatabase = layout.target().database().resolve(names);
        String targetTable = layout.target().table().resolve(names);
        List<SyncTable> targets = new ArrayList<>();
        for (int index = 0; index < layout.tableCount(); index++) {
            String name =
                    layout.tables() == null
                            ? targetTable
                            : layout.tables()
                                    .name()
                                    .resolve(
                                            Map.of(
                                                    "database", database,
                                                    "table", targetTable,
                                                    "index", index,
                                                    "shard", shard));
            targets.add(named(targetDatabase, name));
        }
        return targets;
    }

    /**
     * This table as the shards hold it: with its entry's columns ({@code tables[i].columns}) when
     * it transforms them, its key, shard-key, version and table-key columns found among them (its
     * UNIQUE keys where all their columns are), without a {@code where} (rows are mapped once
     * kept); itself otherwise.
     */
    public SyncTable written() {
        ColumnMapping mapping = layout.columns();
        if (mapping == null) {
            return this;
        }
        List<int[]> unique =
                uniqueKeys.stream()
                        .map(k -> Arrays.stream(k).map(mapping::targetOf).toArray())
                        .filter(k -> Arrays.stream(k).allMatch(c -> c >= 0))
                        .toList();
        return new SyncTable(
                database,
                table,
                mapping.columns(),
                Arrays.stream(keyIndexes).map(mapping::targetOf).toArray(),
                mapping.targetOf(shardKeyIndex),
                shardRule,
                mapping.targetOf(versionIndex),
                unique,
                mapping.createStatement(),
                schemaChanges,
                null,
                new TargetLayout(
                        layout.target(),
                        layout.tables(),
                        mapping.targetOf(layout.tableKeyIndex()),
                        null));
    }

    /** This table written as {@code newLayout} says. */
    public SyncTable withLayout(TargetLayout newLayout) {
        return routed(shardRule, newLayout);
    }

    /**
     * This table routed by other rules (a reshard's new placement): {@code rule} over its shard
     * key, and {@code tables} (null: one table per shard) over its table key.
     */
    public SyncTable routedBy(ShardRule rule, TableSharding tables) {
        return routed(
                rule,
                new TargetLayout(
                        layout.target(),
                        tables,
                        tables == null ? -1 : indexOf(tables.key()),
                        layout.columns()));
    }

    private SyncTable routed(ShardRule rule, TargetLayout newLayout) {
        return new SyncTable(
                database,
                table,
                columns,
                keyIndexes,
                shardKeyIndex,
                rule,
                versionIndex,
                uniqueKeys,
                createStatement,
                schemaChanges,
                where,
                newLayout);
    }

    /** This table under other names (its create statement too), as a shard holds it. */
    private SyncTable named(String newDatabase, String newTable) {
        String create =
                createStatement == null
                        ? null
                        : CREATE_TABLE
                                .matcher(createStatement)
                                .replaceFirst(
                                        Matcher.quoteReplacement(
                                                "CREATE TABLE " + Identifiers.quote(newTable)));
        return new SyncTable(
                newDatabase,
                newTable,
                columns,
                keyIndexes,
                shardKeyIndex,
                shardRule,
                versionIndex,
                uniqueKeys,
                create,
                schemaChanges,
                where,
                layout);
    }

    /** The columns a write sets: all but the generated ones, which each server computes. */
    public int[] writtenColumns() {
        return IntStream.range(0, columns.size())
                .filter(c -> !columns.get(c).generated())
                .toArray();
    }

    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where column {@code index} of this table is in an image of the given columns ({@link
     * ChangeEvent#columns}; null: this table's own); -1 when the image does not have it.
     */
    public int indexIn(String[] imageColumns, int index) {
        if (imageColumns == null || index < 0) {
            return index;
        }
        String name = columns.get(index).name();
        for (int i = 0; i < imageColumns.length; i++) {
            if (imageColumns[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The primary key of a row image of the given columns (null: this table's own), each value in
     * the canonical form of its collation ({@link KeyText}): key texts MySQL holds equal give one
     * key.
     */
    public String[] keyOf(String[] image, String[] imageColumns) {
        String[] key = new String[keyIndexes.length];
        for (int i = 0; i < key.length; i++) {
            int at = indexIn(imageColumns, keyIndexes[i]);
            key[i] = columns.get(keyIndexes[i]).keyText().canonical(image[at]);
        }
        return key;
    }
}
