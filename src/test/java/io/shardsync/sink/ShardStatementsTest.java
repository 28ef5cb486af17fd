package io.shardsync.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.NameTemplate;
import io.shardsync.config.ShardRule;
import io.shardsync.config.TargetTemplate;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.model.TargetLayout;
import io.shardsync.testing.Tables;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tables each synced table is written to on a shard, which its schema changes run on. */
class ShardStatementsTest {
    private static SyncTable merged(String name) {
        return Tables.keyedByFirstColumn(
                        "db",
                        name,
                        List.of(new Column("id", "bigint", "bigint", false, null, false)),
                        -1,
                        ShardRule.MOD)
                .withLayout(
                        new TargetLayout(
                                new TargetTemplate(
                                        NameTemplate.of("database"), new NameTemplate("merged")),
                                null,
                                -1));
    }

    @Test
    void everyTableMergedIntoOneTargetHasItForItsSchemaChanges() {
        ShardStatements statements =
                new ShardStatements(List.of(merged("a"), merged("b")), 0, false, 500);
        for (String source : List.of("db.a", "db.b")) {
            assertEquals(
                    List.of("db.merged"),
                    statements.targetsOf(source).stream().map(SyncTable::qualifiedName).toList(),
                    source);
        }
    }
}
