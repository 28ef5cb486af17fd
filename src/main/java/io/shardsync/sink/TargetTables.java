package io.shardsync.sink;

import io.shardsync.config.JobConfig;
import io.shardsync.config.SchemaChangePolicy;
import io.shardsync.config.ShardConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.jdbc.Identifiers;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.placement.Placement;
import io.shardsync.source.InformationSchema;
import io.shardsync.source.SchemaLoader;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares every shard before the job starts: the control tables, and each table a synced table is
 * written to there (under its target names, one per table index with 分表), created from the source's
 * definition when missing (without its foreign keys). An existing table whose columns or primary
 * key differ from the source, or that has a UNIQUE key the source lacks or a foreign key, is a
 * startup error that names the shard, table and column.
 */
public final class TargetTables {
    private static final Logger LOG = LoggerFactory.getLogger(TargetTables.class);

    private TargetTables() {}

    /**
     * Prepares the shards a placement writes, each with the tables written there ({@code tables}
     * are the config's, routed by the placement's rules).
     */
    public static void prepare(JobConfig config, Placement placement, List<SyncTable> tables)
            throws SQLException {
        for (ShardConfig shard : placement.written()) {
            try (Connection connection = Connections.shard(shard);
                    Statement statement = connection.createStatement()) {
                for (String ddl : ControlTables.CREATE) {
                    statement.execute(ddl);
                }
                for (SyncTable table : placement.tablesOn(shard.name(), tables)) {
                    for (SyncTable target : table.targetsOn(config.namedShards().indexOf(shard))) {
                        prepare(shard, connection, statement, target);
                    }
                }
            }
        }
    }

    private static void prepare(
            ShardConfig shard, Connection connection, Statement statement, SyncTable table)
            throws SQLException {
        Map<String, String> existing = new LinkedHashMap<>();
        for (Column column :
                InformationSchema.columns(connection, table.database(), table.table())) {
            existing.put(column.name().toLowerCase(), column.columnType());
        }
        if (existing.isEmpty()) {
            statement.execute(
                    "CREATE DATABASE IF NOT EXISTS " + Identifiers.quote(table.database()));
            statement.execute("USE " + Identifiers.quote(table.database()));
            statement.execute(table.createStatement());
            LOG.info("Shard {}: created table {}", shard.name(), table.qualifiedName());
            return;
        }
        List<String> problems = new ArrayList<>();
        List<String> columnProblems = new ArrayList<>();
        for (Column column : table.columns()) {
            String type = existing.remove(column.name().toLowerCase());
            if (type == null) {
                columnProblems.add("column '" + column.name() + "' is missing");
            } else if (!type.equals(column.columnType())) {
                problems.add(
                        "column '"
                                + column.name()
                                + "' is "
                                + type
                                + " on the shard, "
                                + column.columnType()
                                + " at the source");
            }
        }
        existing.keySet()
                .forEach(
                        extra -> columnProblems.add("column '" + extra + "' is not at the source"));
        if (table.schemaChanges().policy() == SchemaChangePolicy.EVOLVE) {
            // a job resumed behind columns added or dropped at the source brings the shard along as
            // it reads the statements; until then it writes the columns both have
            if (!columnProblems.isEmpty()) {
                LOG.warn(
                        "Shard {}: table {} has other columns than the source ({}); the job writes"
                                + " the columns both have until the schema changes still in the"
                                + " binlog bring them together, and verify reports what stays"
                                + " apart",
                        shard.name(),
                        table.qualifiedName(),
                        String.join("; ", columnProblems));
            }
        } else {
            problems.addAll(columnProblems);
        }
        List<String> sourceKey = new ArrayList<>();
        for (int k : table.keyIndexes()) {
            sourceKey.add(table.columns().get(k).name().toLowerCase());
        }
        List<String> shardKey =
                InformationSchema.primaryKey(connection, table.database(), table.table()).stream()
                        .map(String::toLowerCase)
                        .toList();
        // the job's key, and the source's other unique keys (its PRIMARY among them when the config
        // names another unique key): the shard's keys must be among these, in any column order
        List<List<String>> sourceUnique = new ArrayList<>();
        sourceUnique.add(sourceKey);
        for (int[] unique : table.uniqueKeys()) {
            sourceUnique.add(
                    Arrays.stream(unique)
                            .mapToObj(c -> table.columns().get(c).name().toLowerCase())
                            .toList());
        }
        if (sourceUnique.stream().noneMatch(u -> SchemaLoader.sameColumns(u, shardKey))) {
            problems.add(
                    "primary key is "
                            + shardKey
                            + " on the shard, "
                            + sourceKey
                            + " at the source");
        }
        InformationSchema.secondaryUniqueKeys(connection, table.database(), table.table())
                .forEach(
                        (index, columns) -> {
                            List<String> lower = columns.stream().map(String::toLowerCase).toList();
                            if (sourceUnique.stream()
                                    .noneMatch(u -> SchemaLoader.sameColumns(u, lower))) {
                                problems.add(
                                        "UNIQUE key '"
                                                + index
                                                + "' "
                                                + lower
                                                + " is on the shard only (rows the source holds"
                                                + " apart would collide on it)");
                            }
                        });
        for (String foreignKey :
                InformationSchema.foreignKeys(connection, table.database(), table.table())) {
            problems.add(
                    "foreign key '"
                            + foreignKey
                            + "' on the shard (a row and the row it references may sit on"
                            + " different shards and commit in any order; drop it there)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "shard '"
                            + shard.name()
                            + "': table "
                            + table.qualifiedName()
                            + " is incompatible with the source: "
                            + String.join("; ", problems));
        }
    }
}
