package io.shardsync.config;

import static io.shardsync.config.ConfigYaml.VALID;
import static io.shardsync.config.ConfigYaml.error;
import static io.shardsync.config.ConfigYaml.load;
import static io.shardsync.config.ConfigYaml.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The keys of one {@code tables[i]} entry: tables named or matched by pattern, the row condition,
 * range and map rules, and the schema-change policy, each validated with its key path before any
 * connection.
 */
class TableEntriesTest {
    @Test
    void tablesAreNamedOrMatchedByPattern() throws IOException {
        String named = "  - database: app\n    table: orders\n";
        TableConfig matched =
                load(VALID.replace(named, "  - database: app\n    tablePattern: 'orders_\\d+'\n"))
                        .tables()
                        .get(0);
        assertTrue(matched.byPattern());
        assertTrue(matched.namedTables().test("app", "orders_07"));
        assertFalse(matched.namedTables().test("app", "orders_archive"));
        assertFalse(matched.namedTables().test("shop", "orders_07"));
        assertEquals(
                "tables[0].table: give exactly one of 'table' and 'tablePattern' (got '\"orders\"')",
                error(VALID.replace(named, named + "    tablePattern: 'orders_\\d+'\n")));
        assertTrue(
                error(VALID.replace(named, "  - databasePattern: 'app_('\n    table: orders\n"))
                        .startsWith("tables[0].databasePattern: not a Java regular expression"));
    }

    @Test
    void aRowConditionMustParse() throws IOException {
        String table = "    versionColumn: version\n";
        assertEquals(
                "status <> 'draft'",
                load(VALID.replace(table, table + "    where: \"status <> 'draft'\"\n"))
                        .tables()
                        .get(0)
                        .where());
        assertTrue(
                error(VALID.replace(table, table + "    where: \"status = = 'x'\"\n"))
                        .startsWith("tables[0].where: 'status = = 'x'' is no SQL condition"));
    }

    @Test
    void readsRangeAndMapRulesWithTheirParameters() throws IOException {
        ShardRule range =
                load(rule("shardRule: range", "ranges: [2.50]")).tables().get(0).shardRule();
        assertEquals(ShardRule.Kind.RANGE, range.kind());
        assertEquals(List.of("2.5"), range.ranges());
        assertEquals(
                List.of("2024-07-01"),
                load(rule("shardRule: range", "ranges: ['2024-07-01']"))
                        .tables()
                        .get(0)
                        .shardRule()
                        .ranges());
        ShardRule map =
                load(rule("shardRule: map", "values: {\"CN\": 0, \"US\": 1}", "default: 1"))
                        .tables()
                        .get(0)
                        .shardRule();
        assertEquals(Map.of("CN", 0, "US", 1), map.values());
        assertEquals(1, map.defaultShard());
        assertEquals("map {CN=0, US=1} default 1", map.describe());
        assertEquals(
                null,
                load(rule("shardRule: map", "values: {\"CN\": 0}"))
                        .tables()
                        .get(0)
                        .shardRule()
                        .defaultShard());
    }

    @Test
    void checksRangeAndMapParametersAgainstTheShards() {
        assertEquals(
                "tables[0].ranges: expected 1 boundary for the 2 shards (got '[10,20]')",
                error(rule("shardRule: range", "ranges: [10, 20]")));
        assertEquals("tables[0].ranges: required key is missing", error(rule("shardRule: range")));
        assertEquals(
                "tables[0].shardRule: needs a shardKey (without one every shard gets every row)"
                        + " (got '\"map\"')",
                error(
                        rule("shardRule: map", "values: {\"CN\": 0}")
                                .replace("shardKey: user_id", "")));
        String threeShards =
                rule("shardRule: range", "ranges: [10, 10]")
                        .replace(
                                "tables:",
                                "  - name: west\n    url: jdbc:mariadb://127.0.0.1:3310/\n"
                                        + "    user: writer\n    password: {file: /run/secrets/writer}\n"
                                        + "tables:");
        assertEquals(
                "tables[0].ranges[1]: not above the boundary before it (got '10')",
                error(threeShards));
        assertEquals(
                "tables[0].ranges[1]: expected all boundaries numbers or all dates (got '\"2024-01-01\"')",
                error(threeShards.replace("[10, 10]", "[10, '2024-01-01']")));
        assertEquals(
                "tables[0].ranges[0]: expected a number or a date (got '[1]')",
                error(rule("shardRule: range", "ranges: [[1]]")));
        assertEquals(
                "tables[0].values.US: expected a shard index in [0, 1] (got '2')",
                error(rule("shardRule: map", "values: {\"CN\": 0, \"US\": 2}")));
        assertEquals(
                "tables[0].default: expected a shard index in [0, 1] (got '-1')",
                error(rule("shardRule: map", "values: {\"CN\": 0}", "default: -1")));
        assertEquals(
                "tables[0].values: expected at least one value: shard index (got '{}')",
                error(rule("shardRule: map", "values: {}")));
        assertEquals(
                "tables[0].ranges: only for shardRule 'range' (this one is 'mod') (got '[10]')",
                error(rule("ranges: [10]")));
        assertEquals(
                "tables[0].default: only for shardRule 'map' (this one is 'range') (got '1')",
                error(rule("shardRule: range", "ranges: [10]", "default: 1")));
    }

    @Test
    void schemaChangesIsAPolicyOrAPolicyWithTheKindsEvolveFollows() throws IOException {
        assertEquals(
                SchemaChanges.of(SchemaChangePolicy.EVOLVE),
                load(VALID).tables().get(0).schemaChanges());
        String yaml =
                VALID + "schemaChanges: {policy: evolve, exclude: [truncate, drop-table]}\n" + "\n";
        SchemaChanges job = load(yaml).tables().get(0).schemaChanges();
        assertTrue(job.follows(Set.of(SchemaChangeKind.ADD_COLUMN, SchemaChangeKind.INDEX)));
        assertFalse(job.follows(Set.of(SchemaChangeKind.ADD_COLUMN, SchemaChangeKind.TRUNCATE)));
        assertFalse(job.follows(Set.of())); // a statement of unknown kind: not all are followed
        SchemaChanges table =
                load(yaml.replace(
                                "    versionColumn: version\n",
                                "    versionColumn: version\n"
                                        + "    schemaChanges: {include: [add-column]}\n"))
                        .tables()
                        .get(0)
                        .schemaChanges();
        assertEquals(Set.of(SchemaChangeKind.ADD_COLUMN), table.followed());
        assertEquals(
                SchemaChangePolicy.IGNORE,
                load(VALID.replace(
                                "    versionColumn: version\n",
                                "    versionColumn: version\n    schemaChanges: ignore\n"))
                        .tables()
                        .get(0)
                        .schemaChanges()
                        .policy());
        assertEquals(
                "schemaChanges.policy: include and exclude choose the statements evolve follows"
                        + " (got '\"fail\"')",
                error(VALID + "schemaChanges: {policy: fail, exclude: [truncate]}\n"));
        assertEquals(
                "schemaChanges.exclude[0]: expected one of add-column, drop-column, modify-column,"
                        + " rename-column, index, table-options, truncate, drop-table,"
                        + " create-table, cut-over (got '\"truncate-table\"')",
                error(VALID + "schemaChanges: {exclude: [truncate-table]}\n"));
    }
}
