package io.shardsync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import java.util.List;
import org.junit.jupiter.api.Test;

class VersionValueTest {
    private static SyncTable table(String type, String columnType) {
        return new SyncTable(
                "db",
                "t",
                List.of(
                        new Column("id", "int", "int", false, null, false),
                        new Column("v", type, columnType, true, null, false)),
                new int[] {0},
                -1,
                ShardRule.MOD,
                1,
                List.of(),
                null,
                SchemaChanges.of(SchemaChangePolicy.FAIL));
    }

    private static long version(SyncTable table, String value) {
        return ChangeEventDeserializer.versionValue(table, new String[] {"1", value}, null);
    }

    @Test
    void unsignedBigintVersionsPast2To63KeepTheirOrder() {
        SyncTable table = table("bigint", "bigint(20) unsigned");
        long five = version(table, "5");
        long past = version(table, "9223372036854775808");
        long max = version(table, "18446744073709551615");
        assertTrue(five < past && past < max, five + " " + past + " " + max);
    }

    @Test
    void aNullVersionIsOlderThanEveryValue() {
        SyncTable integer = table("bigint", "bigint(20)");
        assertEquals(Long.MIN_VALUE, version(integer, null));
        assertTrue(version(integer, null) < version(integer, "-9223372036854775807"));
        SyncTable temporal = table("datetime", "datetime(6)");
        assertTrue(version(temporal, null) < version(temporal, "0001-01-01 00:00:00.000000"));
    }
}
