package io.shardsync.batch;

import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.sink.ShardStatements;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * SQL expressions over one synced table that are the same on the source and on every shard: the key
 * columns, a row fingerprint that tells NULL from '' and compares every byte, and the shard a row
 * belongs on (the router's rules, written in SQL) in the placement and in the shadow placement of a
 * reshard in flight.
 */
final class TableSql {
    private final SyncTable table;
    private final List<String> shardNames;
    private final List<String> shadowNames;

    TableSql(SyncTable table, List<String> shardNames, List<String> shadowNames) {
        this.table = table;
        this.shardNames = shardNames;
        this.shadowNames = shadowNames;
    }

    /** The table in the placement of a job config. */
    static TableSql of(SyncTable table, JobConfig config) {
        return new TableSql(
                table,
                ShardConfig.names(config.shards()),
                ShardConfig.names(config.shadowShards()));
    }

    SyncTable table() {
        return table;
    }

    String name() {
        return ShardStatements.name(table);
    }

    List<String> keyColumns() {
        return Arrays.stream(table.keyIndexes())
                .mapToObj(i -> ShardStatements.quote(table.columns().get(i).name()))
                .toList();
    }

    String keyList() {
        return String.join(", ", keyColumns());
    }

    /**
     * MD5 of every column's bytes, each after its length (so a '#' cannot move between columns),
     * with a NULL bitmap so NULL and '' differ.
     */
    String fingerprint() {
        List<Column> columns = table.columns();
        String values =
                columns.stream()
                        .map(
                                c ->
                                        "LENGTH("
                                                + ShardStatements.quote(c.name())
                                                + "), "
                                                + ShardStatements.quote(c.name()))
                        .collect(Collectors.joining(", "));
        String nulls =
                columns.stream()
                        .map(c -> "ISNULL(" + ShardStatements.quote(c.name()) + ")")
                        .collect(Collectors.joining(", "));
        return "MD5(CONCAT_WS('#', " + values + ", CONCAT(" + nulls + ")))";
    }

    /** 64 bits of the fingerprint as an unsigned number; XOR of it over rows is order-free. */
    String fingerprintBits() {
        return "CAST(CONV(LEFT(" + fingerprint() + ", 16), 16, 10) AS UNSIGNED)";
    }

    /** The shard index of a row, as ShardRouter computes it; null for a table on every shard. */
    String shardOf() {
        return shardOf(shardNames.size());
    }

    /**
     * Which of a shard's rows the placement accounts for: all but the copies the shadow placement
     * keeps there, which are not the placement's business (and are checked by the shadow's own
     * verify).
     */
    String placedOn(int shard) {
        int shadowShard = shadowNames.indexOf(shardNames.get(shard));
        if (table.shardKeyIndex() < 0 || shadowShard < 0) {
            return "TRUE";
        }
        return "("
                + shardOf()
                + " = "
                + shard
                + " OR "
                + shadowShardOf()
                + " != "
                + shadowShard
                + ")";
    }

    /** The shard index of a row in the shadow placement. */
    String shadowShardOf() {
        return shardOf(shadowNames.size());
    }

    private String shardOf(int shardCount) {
        if (table.shardKeyIndex() < 0) {
            return null;
        }
        Column key = table.columns().get(table.shardKeyIndex());
        String column = ShardStatements.quote(key.name());
        String shard =
                switch (table.shardRule()) {
                    case MOD ->
                            "MOD(MOD("
                                    + column
                                    + ", "
                                    + shardCount
                                    + ") + "
                                    + shardCount
                                    + ", "
                                    + shardCount
                                    + ")";
                    case HASH -> "CRC32(" + key.canonicalSql(column) + ") % " + shardCount;
                };
        return "COALESCE(" + shard + ", 0)";
    }

    /**
     * A column as text the job's writers bind (binary as hex, BIT as a number, anything else as the
     * server renders it, e.g. YEAR as 2024, which JDBC would read as a date).
     */
    String canonical(Column column) {
        String name = ShardStatements.quote(column.name());
        return switch (column.binding()) {
            case HEX_BYTES -> "HEX(" + name + ")";
            case BIT -> "CAST(" + name + " AS UNSIGNED)";
            case TEXT -> "CAST(" + name + " AS CHAR)";
        };
    }

    /** A column as an exact SQL literal (repair statements and row comparisons). */
    String literal(Column column) {
        String name = ShardStatements.quote(column.name());
        return switch (column.binding()) {
            case HEX_BYTES -> "IF(" + name + " IS NULL, 'NULL', CONCAT('0x', HEX(" + name + ")))";
            case BIT -> "IF(" + name + " IS NULL, 'NULL', CAST(" + name + " AS UNSIGNED))";
            case TEXT -> "QUOTE(" + name + ")";
        };
    }
}
