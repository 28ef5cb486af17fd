package io.shardsync.route;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.shardsync.config.ShardRule;
import io.shardsync.config.TargetTemplate;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.ColumnMapping;
import io.shardsync.model.Op;
import io.shardsync.model.RowVersion;
import io.shardsync.model.SyncTable;
import io.shardsync.model.TargetLayout;
import io.shardsync.testing.Tables;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ColumnProjectionTest {
    private static final Column ID = new Column("id", "bigint", "bigint", false, null, false);
    private static final Column SECRET =
            new Column("secret", "varchar", "varchar(9)", true, "utf8mb4_bin", false);
    private static final Column AMOUNT =
            new Column("amount", "decimal", "decimal(8,2)", true, null, false);
    private static final Column CNY =
            new Column("amount_cny", "decimal", "decimal(8,2)", true, null, false);
    private static final Column CENTS =
            new Column("cents", "decimal", "decimal(11,2)", true, null, false);

    /** id, secret, amount written as id, amount_cny and cents = amount * 100. */
    private static final SyncTable ACCOUNTS =
            Tables.keyedByFirstColumn(
                            "app", "accounts", List.of(ID, SECRET, AMOUNT), 0, ShardRule.MOD)
                    .withLayout(
                            new TargetLayout(
                                    TargetTemplate.SOURCE_NAMES,
                                    null,
                                    -1,
                                    new ColumnMapping(
                                            List.of(ID, CNY, CENTS),
                                            new int[] {0, 2, -1},
                                            Arrays.asList(null, null, "amount * 100"),
                                            "")));

    private static ChangeEvent update(String[] before, String[] after, String[] columns) {
        ChangeEvent e = new ChangeEvent();
        e.database = "app";
        e.table = "accounts";
        e.op = Op.UPDATE;
        e.key = new String[] {"7"};
        e.before = before;
        e.after = after;
        e.columns = columns;
        e.version = new RowVersion(1, 0, 0, 0);
        return e;
    }

    @Test
    void bothImagesAreMappedToTheWrittenColumnsWhichTheyName() {
        ChangeEvent mapped =
                new ColumnProjection(ACCOUNTS)
                        .apply(
                                update(
                                        new String[] {"7", "pw", "1.50"},
                                        new String[] {"7", "pw2", null},
                                        null));
        assertNull(mapped.columns, "in the written table's own columns");
        assertArrayEquals(new String[] {"7", "1.50", "150.00"}, mapped.before);
        assertArrayEquals(new String[] {"7", null, null}, mapped.after, "NULL in, NULL out");
        assertArrayEquals(new String[] {"7"}, mapped.key);
        assertEquals(Op.UPDATE, mapped.op);
    }

    @Test
    void anImageOfOtherColumnsIsReadByName() {
        ChangeEvent mapped =
                new ColumnProjection(ACCOUNTS)
                        .apply(
                                update(
                                        null,
                                        new String[] {"2.25", "7"},
                                        new String[] {"amount", "id"}));
        assertNull(mapped.before);
        assertArrayEquals(new String[] {"7", "2.25", "225.00"}, mapped.after);
    }
}
