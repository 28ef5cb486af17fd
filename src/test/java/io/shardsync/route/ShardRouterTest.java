package io.shardsync.route;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardRouterTest {
    private static SyncTable table(int shardKeyIndex, ShardRule rule) {
        List<Column> columns =
                List.of(
                        new Column("id", "bigint", "bigint", false, null, false),
                        new Column("user_id", "varchar", "varchar(20)", true, null, false));
        return new SyncTable(
                "db",
                "t",
                columns,
                new int[] {0},
                shardKeyIndex,
                rule,
                -1,
                List.of(),
                "",
                SchemaChangePolicy.FAIL);
    }

    @Test
    void modIsTheIntegerRemainderAndNeverNegative() {
        ShardRouter router = new ShardRouter(4);
        SyncTable table = table(0, ShardRule.MOD);
        assertEquals(3, router.shardOf(table, new String[] {"7", null}));
        assertEquals(1, router.shardOf(table, new String[] {"-3", null}));
        assertEquals(3, router.shardOf(table, new String[] {"18446744073709551615", null}));
    }

    @Test
    void hashIsSqlCrc32ModShardCount() {
        // Values from MariaDB: SELECT CRC32('alice') % 4, CRC32('😀') % 3
        assertEquals(
                3,
                new ShardRouter(4).shardOf(table(1, ShardRule.HASH), new String[] {"1", "alice"}));
        assertEquals(
                1, new ShardRouter(3).shardOf(table(1, ShardRule.HASH), new String[] {"1", "😀"}));
    }

    @Test
    void tablesWithoutShardKeyGoEverywhereAndNullKeysToTheFirstShard() {
        ShardRouter router = new ShardRouter(2);
        assertEquals(
                ShardRouter.ALL_SHARDS,
                router.shardOf(table(-1, ShardRule.MOD), new String[] {"1", "x"}));
        assertEquals(0, router.shardOf(table(1, ShardRule.HASH), new String[] {"1", null}));
    }
}
