package io.shardsync.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The routing a reshard gives some of a job's table entries on its new placement (the {@code
 * tables:} list of {@code --to}): each names an entry of the job config as it does ({@code
 * database} or {@code databasePattern}, {@code table} or {@code tablePattern}) and gives its rules
 * anew, as that entry would: {@code shardRule} with {@code ranges}/{@code values}/{@code default}
 * (absent: {@code mod}) and {@code tableSharding} (absent: one table per shard). The entries it
 * does not name keep their rules. Kept as the text it was read from ({@code json}), which the
 * reshard workflow stores and reads back with the job's config.
 */
public record TableRoutes(String json, List<Route> routes) implements Serializable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "--to tables";

    /** The config's own rules for every entry. */
    public static final TableRoutes NONE = new TableRoutes(null, List.of());

    /** One entry's new rules. */
    public record Route(TableConfig entry, ShardRule shardRule, TableSharding tableSharding)
            implements Serializable {
        /** The rules as the status step shows them. */
        public String describe() {
            return shardRule.describe()
                    + ", "
                    + (tableSharding == null ? "one table per shard" : tableSharding.describe());
        }
    }

    public TableRoutes {
        routes = List.copyOf(routes);
    }

    /** The rules of the table {@code database.table}, when one of the routes names its entry. */
    public Optional<Route> of(String database, String table) {
        return routes.stream()
                .filter(r -> r.entry().namedTables().test(database, table))
                .findFirst();
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }

    /**
     * Reads routes (the {@code tables:} of a {@code --to} file, as JSON text; null: none) for a job
     * whose new placement has {@code shardCount} shards, each new rule checked to place rows on
     * that many.
     */
    public static TableRoutes parse(String json, JobConfig config, int shardCount) {
        List<Route> routes = new ArrayList<>();
        if (json != null) {
            ConfigNode list = new ConfigNode(PATH, read(json));
            Set<Integer> routed = new HashSet<>();
            for (ConfigNode node : list.elements()) {
                node.allowOnly(
                        "database",
                        "databasePattern",
                        "table",
                        "tablePattern",
                        "shardRule",
                        "ranges",
                        "values",
                        "default",
                        "tableSharding");
                int index = entryOf(node, config.tables());
                if (!routed.add(index)) {
                    throw node.error("names tables[" + index + "] again");
                }
                TableConfig entry = config.tables().get(index);
                boolean keyed = entry.shardKey() != null;
                routes.add(
                        new Route(
                                entry,
                                ShardRules.parse(
                                        node, ShardRules.SHARDS, shardCount, keyed, "shardKey"),
                                TableEntries.tableSharding(node, entry.shardKey())));
            }
        }
        return new TableRoutes(json, routes);
    }

    /**
     * Refuses a new placement of {@code shardCount} shards where an entry these routes leave alone
     * keeps a rule that places rows on other shards: a range rule needs one boundary less than the
     * shards, a map rule no greater index.
     */
    public void requireKeptRulesFit(JobConfig config, int shardCount) {
        for (int i = 0; i < config.tables().size(); i++) {
            TableConfig entry = config.tables().get(i);
            if (routes.stream().noneMatch(r -> r.entry().equals(entry))
                    && !entry.shardRule().placesOn(shardCount)) {
                throw new ConfigException(
                        "tables[" + i + "].shardRule",
                        entry.shardRule().describe()
                                + " places rows by the config's own "
                                + (entry.shardRule().kind() == ShardRule.Kind.RANGE
                                        ? "ranges"
                                        : "values")
                                + ", on other shards than the "
                                + shardCount
                                + " of the new placement: give its new rule under tables: in"
                                + " --to (README: Scaling out)");
            }
        }
    }

    /** The JSON text of a YAML node, as {@link #parse} reads it back; null for none. */
    static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? null : node.toString();
    }

    /** The index of the config entry a route names by the entry's own names or patterns. */
    private static int entryOf(ConfigNode node, List<TableConfig> entries) {
        String database = node.text("database", null);
        String databasePattern = node.text("databasePattern", null);
        String table = node.text("table", null);
        String tablePattern = node.text("tablePattern", null);
        for (int i = 0; i < entries.size(); i++) {
            TableConfig entry = entries.get(i);
            if (Objects.equals(database, entry.database())
                    && Objects.equals(databasePattern, entry.databasePattern())
                    && Objects.equals(table, entry.table())
                    && Objects.equals(tablePattern, entry.tablePattern())) {
                return i;
            }
        }
        throw node.error(
                "names no entry of the job config's tables (name it by the entry's own database"
                        + " or databasePattern and table or tablePattern)");
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
