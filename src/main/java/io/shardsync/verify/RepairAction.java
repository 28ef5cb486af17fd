package io.shardsync.verify;

import io.shardsync.Action;
import io.shardsync.CommandLine;
import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.model.SyncTable;
import io.shardsync.placement.Placement;
import io.shardsync.placement.Placements;
import io.shardsync.scan.KeyScope;
import io.shardsync.scan.TableSql;
import io.shardsync.source.SchemaLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --mode repair --config FILE --report FILE --dry-run|--execute}: the statements that make
 * the shards equal the source for every row of a verify report. {@code --dry-run} prints them;
 * {@code --execute} applies them (one transaction per shard) and compares the repaired rows again.
 * Without one of the two it changes nothing and says so.
 */
public class RepairAction implements Action {
    private final CommandLine commandLine;
    private final PrintStream out;

    public RepairAction(CommandLine commandLine) {
        this(commandLine, System.out);
    }

    RepairAction(CommandLine commandLine, PrintStream out) {
        this.commandLine = commandLine;
        this.out = out;
    }

    @Override
    public int run() throws Exception {
        boolean dryRun = commandLine.flag("dry-run");
        boolean execute = commandLine.flag("execute");
        if (dryRun == execute) {
            throw new IllegalArgumentException(
                    "repair needs exactly one of --dry-run (print the statements) or --execute (apply them)");
        }
        JobConfig config = ConfigLoader.load(commandLine.required("config"));
        Placement placement = Placements.effective(config);
        VerifyReport report =
                VerifyAction.JSON.readValue(
                        Path.of(commandLine.required("report")).toFile(), VerifyReport.class);
        List<String> namedShards = ShardConfig.names(config.namedShards());
        List<SyncTable> configTables = SchemaLoader.load(config);
        List<TableSql> tables =
                SchemaComparison.comparable(
                        placement.serving(), namedShards, placement.servingTables(configTables));
        List<Difference> differences = report.differences();
        Map<String, List<String>> plan;
        try (Connection source = Connections.source(config.singleSource())) {
            plan =
                    new RepairPlanner(
                                    RepairPlanner.SourceRows.of(source),
                                    tables,
                                    placement.servingNames(),
                                    namedShards)
                            .plan(differences);
        }
        if (dryRun) {
            plan.forEach(
                    (shard, statements) -> {
                        out.println("-- " + shard + ": " + statements.size() + " statements");
                        statements.forEach(out::println);
                    });
            return 0;
        }
        for (ShardConfig shard : placement.serving()) {
            apply(shard, plan.get(shard.name()));
        }
        return recheck(config, placement, configTables, tables, differences);
    }

    private void apply(ShardConfig shard, List<String> statements) throws SQLException {
        try (Connection c = Connections.shard(shard);
                Statement statement = c.createStatement()) {
            c.setAutoCommit(false);
            for (String sql : statements) {
                statement.execute(sql);
            }
            c.commit();
        }
        out.println(shard.name() + ": applied " + statements.size() + " statements");
    }

    /**
     * Compares the repaired rows again ({@code configTables} are the config's tables, {@code
     * tables} as the serving placement routes them); 0 when they all match now.
     */
    private int recheck(
            JobConfig config,
            Placement placement,
            List<SyncTable> configTables,
            List<TableSql> tables,
            List<Difference> repaired)
            throws SQLException {
        Map<String, List<List<String>>> keysByTable = new LinkedHashMap<>();
        List<Difference> rows =
                repaired.stream().filter(d -> d.kind() != Difference.Kind.SCHEMA).toList();
        rows.forEach(
                d -> keysByTable.computeIfAbsent(d.table(), t -> new ArrayList<>()).add(d.key()));
        List<Difference> remaining = new ArrayList<>();
        try (ChunkComparison comparison = ChunkComparison.open(config, placement, configTables)) {
            for (TableSql sql : tables) {
                List<List<String>> keys = keysByTable.get(sql.table().qualifiedName());
                if (keys != null) {
                    remaining.addAll(comparison.differences(sql, KeyScope.keys(sql, keys)));
                }
            }
        }
        remaining.forEach(d -> out.println("still different: " + d));
        long columns = repaired.size() - rows.size();
        out.printf(
                "repaired %d rows, %d still differ%s%n",
                rows.size() - remaining.size(),
                remaining.size(),
                columns == 0
                        ? ""
                        : "; " + columns + " column differences are left to a DDL on the shards");
        return remaining.isEmpty() && columns == 0 ? 0 : 1;
    }
}
