package io.shardsync.config;

import static io.shardsync.config.ConfigYaml.VALID;
import static io.shardsync.config.ConfigYaml.error;
import static io.shardsync.config.ConfigYaml.load;
import static io.shardsync.config.ConfigYaml.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A table entry's {@code tableSharding} (分表) and {@code target} names, checked at load. */
class TargetConfigTest {
    private static TableConfig table(String... keys) throws IOException {
        return load(rule(keys)).tables().get(0);
    }

    @Test
    void withoutEitherATableKeepsTheSourcesNamesAndIsOneTablePerShard() throws IOException {
        TableConfig table = load(VALID).tables().get(0);
        assertNull(table.tableSharding());
        assertEquals(TargetTemplate.SOURCE_NAMES, table.target());
    }

    @Test
    void tableShardingDefaultsToTheShardKeyModAndTableIndexNames() throws IOException {
        TableSharding split = table("tableSharding: {count: 4}").tableSharding();
        assertEquals(
                new TableSharding(4, "user_id", ShardRule.MOD, new NameTemplate("{table}_{index}")),
                split);
        TableSharding byOrder =
                table(
                                "tableSharding: {count: 3, key: order_id, rule: range,"
                                        + " ranges: [100, 200], name: 't_{index:02}'}")
                        .tableSharding();
        assertEquals("order_id", byOrder.key());
        assertEquals(List.of("100", "200"), byOrder.rule().ranges());
        assertEquals("t_02", byOrder.name().resolve(Map.of("table", "t", "index", 2)));
        assertEquals(
                Integer.valueOf(1),
                table("tableSharding: {count: 2, rule: map, values: {'7': 1}, default: 0}")
                        .tableSharding()
                        .rule()
                        .values()
                        .get("7"));
    }

    @Test
    void tableShardingIsCheckedWithItsKeyPath() {
        assertEquals(
                "tables[0].tableSharding.count: required key is missing",
                error(rule("tableSharding: {key: order_id}")));
        assertEquals(
                "tables[0].tableSharding.count: expected an integer in [2, 1024] (got '1')",
                error(rule("tableSharding: {count: 1}")));
        assertEquals(
                "tables[0].tableSharding.ranges: expected 2 ascending boundaries for the 3 tables"
                        + " (got '[10]')",
                error(rule("tableSharding: {count: 3, rule: range, ranges: [10]}")));
        assertEquals(
                "tables[0].tableSharding.values.CN: expected a table index in [0, 1] (got '2')",
                error(rule("tableSharding: {count: 2, rule: map, values: {CN: 2}}")));
        assertEquals(
                "tables[0].tableSharding.ranges: only for rule 'range' (this one is 'mod')"
                        + " (got '[10]')",
                error(rule("tableSharding: {count: 2, ranges: [10]}")));
        assertEquals(
                "tables[0].tableSharding.name: names no {index}: the tables of a shard would all"
                        + " have one name (got '\"{table}_x\"')",
                error(rule("tableSharding: {count: 2, name: '{table}_x'}")));
        assertEquals(
                "tables[0].tableSharding.name: unknown placeholder {idx} (allowed: {database},"
                        + " {index}, {shard}, {table}) (got '\"{table}_{idx}\"')",
                error(rule("tableSharding: {count: 2, name: '{table}_{idx}'}")));
        assertEquals(
                "tables[0].tableSharding.name: {table:02}: only a number is padded, {table} is a"
                        + " name (got '\"{table:02}_{index}\"')",
                error(rule("tableSharding: {count: 2, name: '{table:02}_{index}'}")));
        assertEquals(
                "tables[0].tableSharding: needs a shardKey: the tables of a table on every shard"
                        + " would each be on every shard (got '{\"count\":2}')",
                error(rule("tableSharding: {count: 2}").replace("shardKey: user_id", "")));
        assertEquals(
                "tables[0].tableSharding.rows: unknown key (allowed: count, key, rule, ranges,"
                        + " values, default, name)",
                error(rule("tableSharding: {count: 2, rows: 3}")));
    }

    @Test
    void targetNamesAreTemplates() throws IOException {
        TargetTemplate target =
                table("target: {database: 'app_{shard:02}', table: '{table}_all'}").target();
        assertEquals(
                "app_03",
                target.database().resolve(Map.of("database", "app", "table", "t", "shard", 3)));
        assertEquals(
                "orders_all", target.table().resolve(Map.of("database", "app", "table", "orders")));
        assertEquals(
                NameTemplate.of("table"),
                table("target: {database: 'x_{shard}'}").target().table());
        assertEquals(
                "tables[0].target.table: unknown placeholder {shard} (allowed: {database},"
                        + " {table}) (got '\"{table}_{shard}\"')",
                error(rule("target: {table: '{table}_{shard}'}")));
        assertEquals(
                "tables[0].target.schema: unknown key (allowed: database, table)",
                error(rule("target: {schema: x}")));
    }

    @Test
    void columnsAreIncludedOrExcludedRenamedAndComputed() throws IOException {
        assertEquals(ColumnTransforms.NONE, load(VALID).tables().get(0).columns());
        ColumnTransforms columns =
                table(
                                "columns: {exclude: [password_hash], rename: {amount: amount_cny},"
                                        + " computed: {cents: 'amount * 100'}}")
                        .columns();
        assertEquals(List.of("password_hash"), columns.exclude());
        assertNull(columns.include());
        assertEquals(Map.of("amount", "amount_cny"), columns.rename());
        assertEquals(Map.of("cents", "amount * 100"), columns.computed());
        assertEquals(
                List.of("id", "amount"),
                table("columns: {include: [id, amount]}").columns().include());
        assertEquals(
                "tables[0].columns.exclude: give 'include' or 'exclude', not both (got '[\"b\"]')",
                error(rule("columns: {include: [a], exclude: [b]}")));
        assertEquals(
                "tables[0].columns.computed.cents: 'amount *' is no SQL expression: could only"
                        + " parse partial expression amount (got '\"amount *\"')",
                error(rule("columns: {computed: {cents: 'amount *'}}")));
        assertEquals(
                "tables[0].columns.rename.amount: expected a MySQL identifier (letters, digits, _"
                        + " and $) (got '\"amount cny\"')",
                error(rule("columns: {rename: {amount: 'amount cny'}}")));
    }
}
