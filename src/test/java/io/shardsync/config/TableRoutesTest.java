package io.shardsync.config;

import static io.shardsync.config.ConfigYaml.VALID;
import static io.shardsync.config.ConfigYaml.load;
import static io.shardsync.config.ConfigYaml.rule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A reshard's new rules for table entries ({@code --to}'s {@code tables:}). */
class TableRoutesTest {
    private static final String ORDERS = "{\"database\": \"app\", \"table\": \"orders\"";

    private static String error(JobConfig config, String json, int shards) {
        return assertThrows(
                        ConfigException.class,
                        () ->
                                TableRoutes.parse(json, config, shards)
                                        .requireKeptRulesFit(config, shards))
                .getMessage();
    }

    @Test
    void anEntryGetsNewRulesAndTheOthersKeepTheirs() throws IOException {
        JobConfig config = load(VALID);
        TableRoutes routes =
                TableRoutes.parse(
                        "["
                                + ORDERS
                                + ", \"shardRule\": \"range\", \"ranges\": [100, 200, 300],"
                                + " \"tableSharding\": {\"count\": 4, \"key\": \"id\"}}]",
                        config,
                        4);
        TableRoutes.Route route = routes.of("app", "orders").orElseThrow();
        assertEquals(List.of("100", "200", "300"), route.shardRule().ranges());
        assertEquals(4, route.tableSharding().count());
        assertEquals("id", route.tableSharding().key());
        assertTrue(routes.of("app", "users").isEmpty());
        assertTrue(TableRoutes.parse(null, config, 4).isEmpty());
        assertEquals(
                ShardRule.MOD,
                TableRoutes.parse("[" + ORDERS + "}]", config, 3).routes().get(0).shardRule(),
                "an entry's rules anew: mod when no shardRule is given");
    }

    @Test
    void refusesARouteNamingNoEntryTwiceOrWithRulesForOtherShards() throws IOException {
        JobConfig config = load(VALID);
        assertTrue(
                error(config, "[{\"database\": \"app\", \"table\": \"order\"}]", 4)
                        .startsWith("--to tables[0]: names no entry of the job config's tables"));
        assertTrue(
                error(config, "[" + ORDERS + "}, " + ORDERS + "}]", 4)
                        .startsWith("--to tables[1]: names tables[0] again"));
        assertEquals(
                "--to tables[0].ranges: expected 3 ascending boundaries for the 4 shards (got"
                        + " '[100]')",
                error(config, "[" + ORDERS + ", \"shardRule\": \"range\", \"ranges\": [100]}]", 4));
        assertTrue(
                error(config, "[" + ORDERS + ", \"sharKey\": \"x\"}]", 4)
                        .startsWith("--to tables[0].sharKey: unknown key"));
    }

    @Test
    void anEntryKeepingARangeOrMapRuleMustFitTheNewShards() throws IOException {
        JobConfig range = load(rule("shardRule: range", "ranges: [100]"));
        assertEquals(
                "tables[0].shardRule: range [100] places rows by the config's own ranges, on other"
                        + " shards than the 4 of the new placement: give its new rule under tables:"
                        + " in --to (README: Scaling out)",
                error(range, null, 4));
        TableRoutes.NONE.requireKeptRulesFit(range, 2); // other servers, same ranges
        JobConfig map = load(rule("shardRule: map", "values: {\"CN\": 0, \"US\": 1}"));
        TableRoutes.NONE.requireKeptRulesFit(map, 4); // indexes 0 and 1 exist on 4 shards too
        assertTrue(error(map, null, 1).startsWith("tables[0].shardRule: map {CN=0, US=1}"));
        assertTrue(ShardRule.MOD.placesOn(3) && ShardRule.HASH.placesOn(7), "any count");
    }
}
