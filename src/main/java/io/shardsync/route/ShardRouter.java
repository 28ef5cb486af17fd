package io.shardsync.route;

import io.shardsync.model.SyncTable;
import java.io.Serializable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Picks the shard of a row from its shard key value. The rules are plain SQL too ({@code col % n},
 * {@code CRC32(canonical text of col) % n}, range and map as {@code CASE}, see {@code
 * batch.TableSql}), so verify and ad-hoc queries can find a row's shard without the job. A NULL
 * shard key goes to shard 0 under every rule (for range, also where SQL sorts NULL: first).
 */
public final class ShardRouter implements Serializable {
    /** Marker for tables copied to every shard. */
    public static final int ALL_SHARDS = -1;

    /** Marker for a row that belongs on no shard: a map rule's unlisted value without default. */
    public static final int NO_SHARD = -2;

    private final int shardCount;

    /** Range and map rules by table, prepared at the table's first change. */
    private transient Map<String, RuleLookup> lookups;

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
        String value = image[table.indexIn(columns, table.shardKeyIndex())];
        if (value == null) {
            return 0; // NULL shard keys are kept together on the first shard
        }
        return switch (table.shardRule().kind()) {
            case MOD -> mod(value);
            case HASH -> hash(value);
            case RANGE -> lookup(table).range(value);
            case MAP -> lookup(table).map(value);
        };
    }

    private RuleLookup lookup(SyncTable table) {
        if (lookups == null) {
            lookups = new HashMap<>();
        }
        return lookups.computeIfAbsent(
                table.qualifiedName(),
                name ->
                        new RuleLookup(
                                table.shardRule(), table.columns().get(table.shardKeyIndex())));
    }

    int mod(String value) {
        if (value.length() < 19) {
            return (int) Math.floorMod(Long.parseLong(value), (long) shardCount);
        }
        return new BigInteger(value).mod(BigInteger.valueOf(shardCount)).intValue();
    }

    int hash(String value) {
        CRC32 crc = new CRC32();
        crc.update(value.getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % shardCount);
    }
}
