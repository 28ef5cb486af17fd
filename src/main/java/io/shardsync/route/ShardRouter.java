package io.shardsync.route;

import io.shardsync.model.SyncTable;
import java.io.Serializable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Picks the shard of a row from its shard key value. The rules are plain SQL too ({@code col % n},
 * {@code CRC32(canonical text of col) % n}, see {@code Column.canonicalSql}), so verify and ad-hoc
 * queries can find a row's shard without the job.
 */
public final class ShardRouter implements Serializable {
    /** Marker for tables copied to every shard. */
    public static final int ALL_SHARDS = -1;

    private final int shardCount;

    public ShardRouter(int shardCount) {
        this.shardCount = shardCount;
    }

    /** The shard of a row image, or {@link #ALL_SHARDS} for a table without a shard key. */
    public int shardOf(SyncTable table, String[] image) {
        if (table.shardKeyIndex() < 0) {
            return ALL_SHARDS;
        }
        String value = image[table.shardKeyIndex()];
        if (value == null) {
            return 0; // NULL shard keys are kept together on the first shard
        }
        return switch (table.shardRule()) {
            case MOD -> mod(value);
            case HASH -> hash(value);
        };
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
