package io.shardsync.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shardsync.config.ShardRule;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.testing.Tables;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DdlTargetTest {
    private static final SyncTable TARGET =
            Tables.keyedByFirstColumn(
                    "app_1",
                    "orders_03",
                    List.of(new Column("id", "bigint", "bigint", false, null, false)),
                    0,
                    ShardRule.MOD);

    private static Optional<String> on(String statement) {
        return DdlTarget.on(statement, TARGET);
    }

    @Test
    void theTableAStatementNamesIsReplacedByTheTableOnTheShard() {
        assertEquals(
                Optional.of("ALTER TABLE `app_1`.`orders_03` ADD COLUMN note TEXT"),
                on("ALTER TABLE orders ADD COLUMN note TEXT"));
        assertEquals(
                Optional.of("alter online ignore table `app_1`.`orders_03` DROP COLUMN x"),
                on("alter online ignore table `app`.`orders` DROP COLUMN x"));
        assertEquals(
                Optional.of("ALTER TABLE IF EXISTS `app_1`.`orders_03` ADD INDEX (a)"),
                on("ALTER TABLE IF EXISTS app . `ord``ers` ADD INDEX (a)"));
        assertEquals(
                Optional.of("CREATE UNIQUE INDEX u_note ON `app_1`.`orders_03` (note)"),
                on("CREATE UNIQUE INDEX u_note ON orders (note)"));
        assertEquals(
                Optional.of("DROP INDEX IF EXISTS u_note ON `app_1`.`orders_03`"),
                on("DROP INDEX IF EXISTS u_note ON app.orders"));
        assertEquals(
                Optional.of("CREATE TABLE IF NOT EXISTS `app_1`.`orders_03` (id BIGINT)"),
                on("CREATE TABLE IF NOT EXISTS orders (id BIGINT)"));
    }

    @Test
    void aStatementNamingItsTableOtherwiseIsNotGuessedAt() {
        assertEquals(Optional.empty(), on("/* pt-osc */ ALTER TABLE orders ADD COLUMN x INT"));
        assertEquals(Optional.empty(), on("RENAME TABLE orders TO orders_old"));
    }
}
