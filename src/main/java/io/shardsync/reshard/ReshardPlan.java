package io.shardsync.reshard;

import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.model.SyncTable;
import io.shardsync.scan.TableSql;
import io.shardsync.source.SchemaLoader;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * The plan step of a reshard: per table, how many rows go from each old shard to each new one,
 * counted at the source with the router's rules in SQL. Reads only.
 */
final class ReshardPlan {
    private final JobConfig config;
    private final List<String> fromNames;
    private final List<String> toNames;
    private final PrintStream out;

    ReshardPlan(JobConfig config, List<ShardConfig> from, List<ShardConfig> to, PrintStream out) {
        this.config = config;
        this.fromNames = ShardConfig.names(from);
        this.toNames = ShardConfig.names(to);
        this.out = out;
    }

    void print() throws Exception {
        out.printf("plan: %s -> %s%n", fromNames, toNames);
        try (Connection source = Connections.source(config.singleSource())) {
            for (SyncTable table : SchemaLoader.load(config)) {
                TableSql sql = new TableSql(table);
                if (!sql.isSharded()) {
                    List<String> added =
                            toNames.stream().filter(n -> !fromNames.contains(n)).toList();
                    out.printf(
                            "%s: on every shard; every row is copied to %s%n",
                            table.qualifiedName(), added);
                } else {
                    print(source, sql);
                }
            }
        }
    }

    private void print(Connection source, TableSql sql) throws SQLException {
        long rows = 0;
        long moving = 0;
        StringBuilder lines = new StringBuilder();
        try (PreparedStatement statement =
                        source.prepareStatement(
                                "SELECT "
                                        + sql.shardOf(fromNames.size())
                                        + ", "
                                        + sql.shardOf(toNames.size())
                                        + ", COUNT(*) FROM "
                                        + sql.name()
                                        + " WHERE "
                                        + sql.kept()
                                        + " GROUP BY 1, 2 ORDER BY 1, 2");
                ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                String oldShard = fromNames.get(rs.getInt(1));
                String newShard = toNames.get(rs.getInt(2));
                long count = rs.getLong(3);
                rows += count;
                boolean moves = !oldShard.equals(newShard);
                moving += moves ? count : 0;
                lines.append(
                        String.format(
                                "  %-12s -> %-12s %10d rows%s%n",
                                oldShard, newShard, count, moves ? "" : " (stay)"));
            }
        }
        out.printf(
                "%s: %d rows, %d move (%.1f %%)%n%s",
                sql.table().qualifiedName(),
                rows,
                moving,
                rows == 0 ? 0.0 : 100.0 * moving / rows,
                lines);
    }
}
