package io.shardsync.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.SchemaChanges;
import io.shardsync.config.ShardRule;
import io.shardsync.config.TargetTemplate;
import io.shardsync.model.Column;
import io.shardsync.model.ColumnMapping;
import io.shardsync.model.Ddl;
import io.shardsync.model.SyncTable;
import io.shardsync.model.TargetLayout;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Schema;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.data.Struct;
import org.apache.flink.cdc.connectors.shaded.org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class SchemaChangeTest {
    static final SyncTable ORDERS =
            new SyncTable(
                    "app",
                    "orders",
                    List.of(
                            new Column("id", "int", "int(11)", false, null, false),
                            new Column("user_id", "int", "int(11)", false, null, false),
                            new Column(
                                    "note",
                                    "varchar",
                                    "varchar(20)",
                                    true,
                                    "utf8mb4_general_ci",
                                    false)),
                    new int[] {0},
                    1,
                    ShardRule.MOD,
                    -1,
                    List.of(),
                    null,
                    SchemaChanges.of(SchemaChangePolicy.FAIL));

    /** A schema change record as Flink CDC hands it over, without a table definition. */
    private static SchemaChange statement(String database, String ddl) {
        return statement(database, ddl, "[]");
    }

    /** Debezium's definition of the orders table's columns after a statement. */
    static String definition(String table, String... primaryKey) {
        return "[{\"type\": \"ALTER\", \"id\": \"\\\"app\\\".\\\""
                + table
                + "\\\"\", \"table\": {\"primaryKeyColumnNames\": [\""
                + String.join("\", \"", primaryKey)
                + "\"], \"columns\": [{\"name\": \"id\", \"typeName\": \"INT\", \"optional\": false},"
                + " {\"name\": \"user_id\", \"typeName\": \"INT\", \"optional\": false},"
                + " {\"name\": \"note\", \"typeName\": \"VARCHAR\", \"optional\": true}]}}]";
    }

    /** Debezium's definition of a table keyed by id with the given columns after user_id. */
    private static String definition(String table, List<String> columns) {
        StringBuilder json = new StringBuilder();
        for (String column : columns) {
            json.append(json.length() == 0 ? "" : ", ")
                    .append("{\"name\": \"")
                    .append(column)
                    .append("\", \"typeName\": \"")
                    .append(column.equals("note") ? "VARCHAR" : "INT")
                    .append("\", \"optional\": ")
                    .append(!column.equals("id") && !column.equals("user_id"))
                    .append("}");
        }
        return "[{\"type\": \"ALTER\", \"id\": \"\\\"app\\\".\\\""
                + table
                + "\\\"\", \"table\": {\"primaryKeyColumnNames\": [\"id\"], \"columns\": ["
                + json
                + "]}}]";
    }

    private static SchemaChange statement(String database, String ddl, String tableChanges) {
        return SchemaChange.of(record(database, ddl, tableChanges));
    }

    /** A schema change record as Flink CDC hands it over. */
    static SourceRecord record(String database, String ddl, String tableChanges) {
        Schema source =
                SchemaBuilder.struct()
                        .field("file", Schema.STRING_SCHEMA)
                        .field("pos", Schema.INT64_SCHEMA)
                        .field("ts_ms", Schema.INT64_SCHEMA)
                        .build();
        Schema value =
                SchemaBuilder.struct()
                        .field("source", source)
                        .field("historyRecord", Schema.STRING_SCHEMA)
                        .build();
        String history =
                "{\"databaseName\": \""
                        + database
                        + "\", \"ddl\": \""
                        + ddl
                        + "\", \"tableChanges\": "
                        + tableChanges
                        + "}";
        Struct record =
                new Struct(value)
                        .put(
                                "source",
                                new Struct(source)
                                        .put("file", "binlog.000003")
                                        .put("pos", 120L)
                                        .put("ts_ms", 1L))
                        .put("historyRecord", history);
        return new SourceRecord(
                null,
                null,
                "t",
                SchemaBuilder.struct().name("io.debezium.connector.mysql.SchemaChangeKey").build(),
                null,
                value,
                record);
    }

    @Test
    void statementsWithoutADefinitionAreMatchedByTheTablesTheyName() {
        assertEquals(
                "empties the table", statement("app", "TRUNCATE TABLE orders").on(ORDERS).what());
        assertEquals(
                "empties the table",
                statement("other", "truncate `app`.`orders`").on(ORDERS).what());
        assertEquals(
                "renames the table away",
                statement("app", "RENAME TABLE orders TO orders_2026").on(ORDERS).what());
        assertNull(statement("app", "RENAME TABLE orders TO orders_2026").on(ORDERS).action());
        assertNull(
                statement("app", "CREATE TRIGGER pt_osc_app_orders_ins AFTER INSERT ON orders")
                        .on(ORDERS));
        assertEquals(
                SchemaChange.Effect.COLUMNS,
                statement("app", "DROP TABLE orders").on(ORDERS).effect());
        assertNull(statement("app", "TRUNCATE TABLE orders_archive").on(ORDERS));
        assertNull(statement("other", "TRUNCATE TABLE orders").on(ORDERS));
        assertNull(statement("app", "CREATE TABLE _orders_new LIKE other.x").on(ORDERS));
    }

    @Test
    void anOnlineSchemaChangeIsFollowedFromTheShadowTablesStatementsToTheCutOver() {
        // the statement on _orders_new as the source hands it over: on orders, with the shadow
        // table's definition
        SchemaChange.Outcome alter =
                statement(
                                "app",
                                "ALTER TABLE `app`.`orders` ADD COLUMN extra INT",
                                definition(
                                        "_orders_new", List.of("id", "user_id", "note", "extra")))
                        .on(ORDERS);
        assertEquals(Ddl.Action.REPLAY, alter.action());
        assertEquals(List.of("id", "user_id", "note", "extra"), List.of(alter.columns()));
        SchemaChange.Outcome cutOver =
                statement(
                                "app",
                                "RENAME TABLE `app`.`orders` TO `app`.`_orders_old`,"
                                        + " `app`.`_orders_new` TO `app`.`orders`",
                                definition("orders", List.of("id", "user_id", "note", "extra"))
                                        .replace("]}}]", "]}}, " + oldTable() + "]"))
                        .on(ORDERS);
        assertEquals(Ddl.Action.CHECK, cutOver.action());
        assertEquals(List.of("id", "user_id", "note", "extra"), List.of(cutOver.columns()));
        assertNull(
                statement("app", "CREATE TABLE `app`.`_orders_new` LIKE `app`.`orders`", oldTable())
                        .on(ORDERS));
    }

    private static String oldTable() {
        return definition("_orders_old", List.of("id", "user_id", "note"))
                .substring(1)
                .replaceAll("]$", "");
    }

    @Test
    void renamedColumnsAreNamedOldToNew() {
        SchemaChange.Outcome rename =
                statement(
                                "app",
                                "ALTER TABLE orders RENAME COLUMN note TO remark",
                                definition("orders", List.of("id", "user_id", "remark")))
                        .on(ORDERS);
        assertEquals(Ddl.Action.REPLAY, rename.action());
        assertEquals(Map.of("note", "remark"), rename.renamed());
        assertEquals(
                Map.of("note", "remark"),
                statement(
                                "app",
                                "ALTER TABLE orders CHANGE COLUMN `note` `remark` VARCHAR(30)",
                                definition("orders", List.of("id", "user_id", "remark")))
                        .on(ORDERS)
                        .renamed());
        // a column dropped and another added is no rename
        assertEquals(
                Map.of(),
                statement(
                                "app",
                                "ALTER TABLE orders DROP COLUMN note, ADD COLUMN remark INT",
                                definition("orders", List.of("id", "user_id", "remark")))
                        .on(ORDERS)
                        .renamed());
        assertEquals(
                Ddl.Action.REPORT,
                statement(
                                "app",
                                "ALTER TABLE orders ADD FOREIGN KEY (user_id) REFERENCES users (id)",
                                definition("orders", "id"))
                        .on(ORDERS)
                        .action());
    }

    @Test
    void statementsWithADefinitionJudgeTheColumnsAndKeys() {
        assertEquals(
                SchemaChange.Effect.NONE,
                statement("app", "CREATE INDEX n ON orders (note)", definition("orders", "id"))
                        .on(ORDERS)
                        .effect());
        // another primary key is a change the job cannot follow
        assertEquals(
                SchemaChange.Effect.UNFOLLOWABLE,
                statement(
                                "app",
                                "ALTER TABLE orders DROP PRIMARY KEY, ADD PRIMARY KEY (id, user_id)",
                                definition("orders", "user_id", "id"))
                        .on(ORDERS)
                        .effect());
        assertNull(
                statement(
                                "app",
                                "ALTER TABLE items ADD COLUMN orders_id INT",
                                definition("items", "id"))
                        .on(ORDERS));
        assertEquals(
                "changes the type of column 'user_id', which picks its shard",
                statement(
                                "app",
                                "ALTER TABLE orders MODIFY user_id INT NOT NULL COLLATE x",
                                definition("orders", "id"))
                        .on(ORDERS)
                        .what());
        assertEquals(
                SchemaChange.Effect.UNFOLLOWABLE,
                statement(
                                "app",
                                "ALTER TABLE orders CONVERT TO CHARACTER SET latin1",
                                definition("orders", "id"))
                        .on(ORDERS)
                        .effect());
    }

    @Test
    void aColumnTheWhereConditionNamesMayChangeItsTypeButNotGoAway() {
        SyncTable filtered =
                new SyncTable(
                        ORDERS.database(),
                        ORDERS.table(),
                        ORDERS.columns(),
                        ORDERS.keyIndexes(),
                        ORDERS.shardKeyIndex(),
                        ORDERS.shardRule(),
                        ORDERS.versionIndex(),
                        ORDERS.uniqueKeys(),
                        null,
                        ORDERS.schemaChanges(),
                        "note <> 'test'",
                        TargetLayout.SOURCE_NAMES);
        SchemaChange.Outcome dropped =
                statement(
                                "app",
                                "ALTER TABLE orders DROP COLUMN note",
                                definition("orders", List.of("id", "user_id")))
                        .on(filtered);
        assertEquals(SchemaChange.Effect.UNFOLLOWABLE, dropped.effect());
        assertEquals(
                "drops or renames column 'note', which its where: condition names (change the"
                        + " condition with the column)",
                dropped.what());
        assertNotEquals(
                SchemaChange.Effect.UNFOLLOWABLE,
                statement(
                                "app",
                                "ALTER TABLE orders MODIFY note VARCHAR(40)",
                                definition("orders", "id"))
                        .on(filtered)
                        .effect());
    }

    /** ORDERS under a policy, written without its note column. */
    private static SyncTable withoutNote(SchemaChangePolicy policy) {
        return new SyncTable(
                        ORDERS.database(),
                        ORDERS.table(),
                        ORDERS.columns(),
                        ORDERS.keyIndexes(),
                        ORDERS.shardKeyIndex(),
                        ORDERS.shardRule(),
                        ORDERS.versionIndex(),
                        ORDERS.uniqueKeys(),
                        null,
                        SchemaChanges.of(policy))
                .withLayout(
                        new TargetLayout(
                                TargetTemplate.SOURCE_NAMES,
                                null,
                                -1,
                                new ColumnMapping(
                                        List.of(ORDERS.columns().get(0), ORDERS.columns().get(1)),
                                        new int[] {0, 1},
                                        Arrays.asList(null, null),
                                        "")));
    }

    @Test
    void aTableWrittenWithTransformedColumnsFollowsNoStatementThatChangesThem() {
        SyncTable mapped = withoutNote(SchemaChangePolicy.EVOLVE);
        String addColumn = "ALTER TABLE orders ADD COLUMN x INT";
        String afterAdd = definition("orders", List.of("id", "user_id", "note", "x"));
        SchemaChange.Outcome added = statement("app", addColumn, afterAdd).on(mapped);
        assertEquals(SchemaChange.Effect.UNFOLLOWABLE, added.effect());
        assertTrue(added.what().contains("transformed columns"), added.what());
        SchemaChange.Outcome index =
                statement(
                                "app",
                                "CREATE INDEX i ON orders (note)",
                                definition("orders", List.of("id", "user_id", "note")))
                        .on(mapped);
        assertEquals(SchemaChange.Effect.NONE, index.effect());
        assertEquals(Ddl.Action.REPORT, index.action());
        assertEquals(
                Ddl.Action.TRUNCATE, statement("app", "TRUNCATE TABLE orders").on(mapped).action());
        assertEquals(
                SchemaChange.Effect.COLUMNS,
                statement("app", addColumn, afterAdd)
                        .on(withoutNote(SchemaChangePolicy.IGNORE))
                        .effect(),
                "ignore: reported as for any table");
    }
}
