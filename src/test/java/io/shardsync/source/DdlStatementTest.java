package io.shardsync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.SchemaChangeKind;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DdlStatementTest {
    private static Set<SchemaChangeKind> kinds(String ddl) {
        return DdlStatement.parse(ddl).kinds();
    }

    @Test
    void eachClauseOfAStatementIsAKindOfChange() {
        assertEquals(
                Set.of(SchemaChangeKind.ADD_COLUMN),
                kinds("ALTER TABLE t ADD COLUMN extra INT NOT NULL DEFAULT 7 AFTER user_id"));
        assertEquals(
                Set.of(SchemaChangeKind.ADD_COLUMN, SchemaChangeKind.DROP_COLUMN),
                kinds("ALTER TABLE `app`.`t` ADD x INT, DROP y"));
        assertEquals(
                Set.of(SchemaChangeKind.DROP_COLUMN, SchemaChangeKind.INDEX),
                kinds("ALTER TABLE t DROP COLUMN pad, ADD INDEX i (x)"));
        assertEquals(
                Set.of(SchemaChangeKind.MODIFY_COLUMN),
                kinds("ALTER TABLE t MODIFY note VARCHAR(300) CHARACTER SET utf8mb4"));
        assertEquals(
                Set.of(SchemaChangeKind.MODIFY_COLUMN),
                kinds("ALTER TABLE t CHANGE note note VARCHAR(300)"));
        assertEquals(Set.of(SchemaChangeKind.INDEX), kinds("CREATE INDEX n ON t (note)"));
        assertEquals(Set.of(SchemaChangeKind.INDEX), kinds("DROP INDEX n ON t"));
        assertEquals(Set.of(SchemaChangeKind.INDEX), kinds("ALTER TABLE t ADD UNIQUE KEY u (a)"));
        assertEquals(Set.of(SchemaChangeKind.TABLE_OPTIONS), kinds("ALTER TABLE t ENGINE=InnoDB"));
        // a statement the parser cannot read is of no known kind
        assertEquals(Set.of(), kinds("ALTER TABLE t MODIFY COLUMN IF EXISTS x INT"));
    }

    @Test
    void renamesAreOldNameToNewInLowerCase() {
        DdlStatement rename = DdlStatement.parse("ALTER TABLE t RENAME COLUMN Tag TO label");
        assertEquals(Map.of("tag", "label"), rename.renamed());
        assertEquals(Set.of(SchemaChangeKind.RENAME_COLUMN), rename.kinds());
        DdlStatement change =
                DdlStatement.parse("ALTER TABLE t CHANGE COLUMN `note` `remark` VARCHAR(30)");
        assertEquals(Map.of("note", "remark"), change.renamed());
        assertEquals(
                Set.of(SchemaChangeKind.MODIFY_COLUMN, SchemaChangeKind.RENAME_COLUMN),
                change.kinds());
    }
}
