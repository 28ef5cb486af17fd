package io.shardsync.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.NameTemplate;
import io.shardsync.config.ShardRule;
import io.shardsync.config.TargetTemplate;
import io.shardsync.testing.Tables;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowKeysTest {
    private static final List<Column> COLUMNS =
            List.of(new Column("id", "bigint", "bigint", false, null, false));
    private static final TargetLayout ORDERS =
            new TargetLayout(
                    new TargetTemplate(NameTemplate.of("database"), new NameTemplate("orders")),
                    null,
                    -1);

    private static SyncTable table(String name, TargetLayout layout) {
        return Tables.keyedByFirstColumn("app", name, COLUMNS, 0, ShardRule.MOD).withLayout(layout);
    }

    private static ChangeEvent change(String table, String id) {
        ChangeEvent change = new ChangeEvent();
        change.database = "app";
        change.table = table;
        change.key = new String[] {id};
        return change;
    }

    @Test
    void tablesWrittenToOneTargetAreOneRowPerKeyThere() {
        SyncTable first = table("orders_00", ORDERS);
        SyncTable second = table("orders_01", ORDERS);
        SyncTable alone = table("users", TargetLayout.SOURCE_NAMES);
        List<SyncTable> tables = List.of(first, alone, second);
        assertEquals(List.of(List.of(first, second), List.of(alone)), RowKeys.groups(tables));
        RowKeys keys = RowKeys.of(tables);
        assertTrue(keys.isMerged(second));
        assertFalse(keys.isMerged(alone));
        assertEquals(keys.getKey(change("orders_00", "7")), keys.getKey(change("orders_01", "7")));
        assertEquals("app.orders\u00007", keys.getKey(change("orders_01", "7")));
        assertNotEquals(
                keys.getKey(change("orders_00", "7")), keys.getKey(change("orders_00", "8")));
        assertEquals(change("users", "7").rowKey(), keys.getKey(change("users", "7")));
    }
}
