package io.shardsync.reshard;

import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.TableRoutes;
import io.shardsync.jdbc.Connections;
import io.shardsync.model.SyncTable;
import io.shardsync.scan.TableSql;
import io.shardsync.source.RoutedTables;
import io.shardsync.source.SchemaLoader;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The plan step of a reshard: per table, how many rows go from each old shard to each new one,
 * counted at the source with the router's rules in SQL. Reads only.
 */
final class ReshardPlan {
    private static final String NO_SHARD = "(none)";

    private final JobConfig config;
    private final List<String> fromNames;
    private final List<String> toNames;
    private final TableRoutes routes;
    private final PrintStream out;

    /**
     * The plan of moving the config's tables from {@code from} to {@code to}, routed by {@code
     * routes}.
     */
    ReshardPlan(
            JobConfig config,
            List<ShardConfig> from,
            List<ShardConfig> to,
            TableRoutes routes,
            PrintStream out) {
        this.config = config;
        this.fromNames = ShardConfig.names(from);
        this.toNames = ShardConfig.names(to);
        this.routes = routes;
        this.out = out;
    }

    void print() throws Exception {
        out.printf("plan: %s -> %s%n", fromNames, toNames);
        List<SyncTable> tables = SchemaLoader.load(config);
        List<SyncTable> newTables = RoutedTables.of(tables, routes);
        try (Connection source = Connections.source(config.singleSource())) {
            for (int i = 0; i < tables.size(); i++) {
                TableSql sql = new TableSql(tables.get(i));
                if (!sql.isSharded()) {
                    List<String> added =
                            toNames.stream().filter(n -> !fromNames.contains(n)).toList();
                    out.printf(
                            "%s: on every shard; every row is copied to %s%n",
                            sql.table().qualifiedName(), added);
                } else {
                    print(source, sql, new TableSql(newTables.get(i)));
                }
            }
        }
    }

    /**
     * Counts a table's rows by old and new shard; a row moves when its shard or its table there
     * changes ({@code sql} routes it on the old placement, {@code newSql} on the new one).
     */
    private void print(Connection source, TableSql sql, TableSql newSql) throws SQLException {
        long rows = 0;
        Map<String, long[]> pairs = new TreeMap<>();
        List<String> named = ShardConfig.names(config.namedShards());
        try (PreparedStatement statement =
                        source.prepareStatement(
                                "SELECT "
                                        + sql.shardOf(fromNames.size())
                                        + ", "
                                        + sql.tableOf()
                                        + ", "
                                        + newSql.shardOf(toNames.size())
                                        + ", "
                                        + newSql.tableOf()
                                        + ", COUNT(*) FROM "
                                        + sql.name()
                                        + " WHERE "
                                        + sql.kept()
                                        + " GROUP BY 1, 2, 3, 4");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                String oldShard = shard(rs, 1, fromNames);
                String oldTable = table(rs, 2, sql, oldShard, named);
                String newShard = shard(rs, 3, toNames);
                String newTable = table(rs, 4, newSql, newShard, named);
                long count = rs.getLong(5);
                rows += count;
                long[] counted =
                        pairs.computeIfAbsent(
                                String.format("  %-12s -> %-12s", oldShard, newShard),
                                k -> new long[2]);
                counted[0] += count;
                boolean stays =
                        oldShard.equals(newShard) && oldTable != null && oldTable.equals(newTable);
                counted[1] += stays ? 0 : count;
            }
        }
        long moving = pairs.values().stream().mapToLong(c -> c[1]).sum();
        out.printf(
                "%s: %d rows, %d move (%.1f %%)%n",
                sql.table().qualifiedName(), rows, moving, rows == 0 ? 0.0 : 100.0 * moving / rows);
        pairs.forEach(
                (pair, counted) ->
                        out.printf(
                                "%s %10d rows%s%n",
                                pair,
                                counted[0],
                                counted[1] == 0
                                        ? " (stay)"
                                        : counted[1] == counted[0]
                                                ? ""
                                                : " (" + counted[1] + " to another table)"));
    }

    private static String shard(ResultSet rs, int column, List<String> shards) throws SQLException {
        int index = rs.getInt(column);
        return rs.wasNull() ? NO_SHARD : shards.get(index);
    }

    /** The name of a row's table on its shard; null on no shard. */
    private static String table(
            ResultSet rs, int column, TableSql sql, String shard, List<String> named)
            throws SQLException {
        int index = rs.getInt(column);
        if (rs.wasNull() || shard.equals(NO_SHARD)) {
            return null;
        }
        return sql.table().targetsOn(named.indexOf(shard)).get(index).qualifiedName();
    }
}
