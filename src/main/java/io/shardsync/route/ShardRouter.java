package io.shardsync.route;

import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.model.TargetLayout;
import java.io.Serializable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Picks the shard of a row from its shard key value. The rules are plain SQL too ({@code col % n},
 * {@code CRC32(canonical text of col) % n}, range and map as {@code CASE}, see {@code
 * scan.TableSql}), so verify and ad-hoc queries can find a row's shard without the job; and so is
 * the table of a row among its shard's tables (分表). A NULL key goes to index 0 under every rule
 * (for range, also where SQL sorts NULL: first).
 */
public final class ShardRouter implements Serializable {
    /** Marker for tables copied to every shard. */
    public static final int ALL_SHARDS = -1;

    /** Marker for a row that belongs on no shard: a map rule's unlisted value without default. */
    public static final int NO_SHARD = -2;

    /** A table's two rules, as {@link #lookups} holds them. */
    private static final int SHARD_RULE = 0;

    private static final int TABLE_RULE = 1;

    private final int shardCount;

    /**
     * Range and map rules by table (by instance: the router's tables are fixed), shard rule then
     * table rule, prepared at the rule's first change.
     */
    private transient Map<SyncTable, RuleLookup[]> lookups;

    public ShardRouter(int shardCount) {
        this.shardCount = shardCount;
    }

    /**
     * The shard of a row image of the given columns (null: the table's), {@link #ALL_SHARDS} for a
     * table without a shard key, or {@link #NO_SHARD}.
     */
    public int shardOf(SyncTable table, String[] image, String[] columns) {
        if (table.shardKeyIndex() < 0) {
            return ALL_SHARDS;
        }
        return indexOf(
                table,
                SHARD_RULE,
                table.shardRule(),
                table.columns().get(table.shardKeyIndex()),
                shardCount,
                image[table.indexIn(columns, table.shardKeyIndex())]);
    }

    /**
     * The index of a row's table among the tables of it on its shard (分表): 0 when each shard holds
     * one, {@link #NO_SHARD} for a map rule's unlisted value without default.
     */
    public int tableOf(SyncTable table, String[] image, String[] columns) {
        TargetLayout layout = table.layout();
        if (layout.tables() == null) {
            return 0;
        }
        return indexOf(
                table,
                TABLE_RULE,
                layout.tables().rule(),
                table.columns().get(layout.tableKeyIndex()),
                layout.tableCount(),
                image[table.indexIn(columns, layout.tableKeyIndex())]);
    }

    /**
     * The index of a key value among {@code count} by a rule of the table (its {@code which}); NULL
     * keys are at index 0.
     */
    private int indexOf(
            SyncTable table, int which, ShardRule rule, Column key, int count, String value) {
        if (value == null) {
            return 0; // NULL keys are kept together at the first index
        }
        return switch (rule.kind()) {
            case MOD -> mod(value, count);
            case HASH -> hash(value, count);
            case RANGE -> lookup(table, which, rule, key).range(value);
            case MAP -> lookup(table, which, rule, key).map(value);
        };
    }

    private RuleLookup lookup(SyncTable table, int which, ShardRule rule, Column key) {
        if (lookups == null) {
            lookups = new IdentityHashMap<>();
        }
        RuleLookup[] rules = lookups.computeIfAbsent(table, t -> new RuleLookup[2]);
        if (rules[which] == null) {
            rules[which] = new RuleLookup(rule, key);
        }
        return rules[which];
    }

    private static int mod(String value, int count) {
        if (value.length() < 19) {
            return (int) Math.floorMod(Long.parseLong(value), (long) count);
        }
        return new BigInteger(value).mod(BigInteger.valueOf(count)).intValue();
    }

    private static int hash(String value, int count) {
        CRC32 crc = new CRC32();
        crc.update(value.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % count);
    }
}
