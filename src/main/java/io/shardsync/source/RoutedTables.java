package io.shardsync.source;

import io.shardsync.config.ConfigException;
import io.shardsync.config.TableRoutes;
import io.shardsync.config.TableSharding;
import io.shardsync.model.ColumnMapping;
import io.shardsync.model.RowKeys;
import io.shardsync.model.SyncTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A job's tables as a reshard's placement routes them: by its new rules ({@link TableRoutes}). */
public final class RoutedTables {
    private RoutedTables() {}

    /**
     * The tables as a reshard's new placement routes them ({@link TableRoutes}): each new rule
     * checked against its key column, which the shards must hold, and the tables merged into one
     * target still routed alike.
     */
    public static List<SyncTable> of(List<SyncTable> tables, TableRoutes routes) {
        if (routes.isEmpty()) {
            return tables;
        }
        List<SyncTable> routed = new ArrayList<>();
        for (SyncTable table : tables) {
            Optional<TableRoutes.Route> route = routes.of(table.database(), table.table());
            routed.add(route.isEmpty() ? table : routed(table, route.get(), routes));
        }
        for (List<SyncTable> group : RowKeys.groups(tables)) {
            SyncTable first = routed.get(tables.indexOf(group.get(0)));
            for (SyncTable config : group) {
                SyncTable member = routed.get(tables.indexOf(config));
                if (!member.shardRule().equals(first.shardRule())
                        || !Objects.equals(member.layout().tables(), first.layout().tables())) {
                    throw new ConfigException(
                            "--to tables",
                            first.qualifiedName()
                                    + " and "
                                    + member.qualifiedName()
                                    + " are merged into one target, so they need the same new"
                                    + " rules");
                }
            }
        }
        return List.copyOf(routed);
    }

    private static SyncTable routed(SyncTable table, TableRoutes.Route route, TableRoutes routes) {
        String path = "--to tables[" + routes.routes().indexOf(route) + "]";
        if (table.shardKeyIndex() >= 0) {
            ShardRuleFit.check(
                    path,
                    "shardRule",
                    route.shardRule(),
                    table.columns().get(table.shardKeyIndex()));
        }
        TableSharding sharding = route.tableSharding();
        if (sharding != null) {
            String at = path + ".tableSharding";
            int keyIndex = SchemaLoader.columnIndex(at + ".key", table, sharding.key());
            ShardRuleFit.check(at, "rule", sharding.rule(), table.columns().get(keyIndex));
            ColumnMapping columns = table.layout().columns();
            if (columns != null && columns.targetOf(keyIndex) < 0) {
                throw new ConfigException(
                        at + ".key",
                        "'"
                                + sharding.key()
                                + "' is not written to the shards (tables[].columns), so no"
                                + " shard could tell a row's table");
            }
        }
        return table.routedBy(route.shardRule(), sharding);
    }
}
