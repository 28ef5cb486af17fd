package io.shardsync.scan;

import io.shardsync.model.SyncTable;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a synced table's rows are on a placement's shards: each table of it on each shard is a
 * place, numbered shard by shard ({@code shard * tablesPerShard + table}), as the router numbers
 * them. A place is named by its shard, and, for a table written under other names or split over
 * several tables per shard, by its table there too ({@code shard-0/app_0.orders_03}).
 */
public final class TablePlaces {
    private final TableSql sql;
    private final List<String> shardNames;
    private final List<TableSql> targets = new ArrayList<>();
    private final int tablesPerShard;

    /**
     * The places of {@code sql}'s table on the shards named {@code shardNames} (the placement's
     * order), {@code namedShards} being the config's shards, whose positions target names use.
     */
    public TablePlaces(TableSql sql, List<String> shardNames, List<String> namedShards) {
        this.sql = sql;
        this.shardNames = List.copyOf(shardNames);
        this.tablesPerShard = sql.table().layout().tableCount();
        for (String shard : shardNames) {
            for (SyncTable target : sql.table().targetsOn(namedShards.indexOf(shard))) {
                targets.add(new TableSql(target));
            }
        }
    }

    /** The table at the source. */
    public TableSql sql() {
        return sql;
    }

    public int size() {
        return targets.size();
    }

    /** The index of a place's shard in the placement. */
    public int shard(int place) {
        return place / tablesPerShard;
    }

    public String shardName(int place) {
        return shardNames.get(shard(place));
    }

    /** The table at a place, under its name there. */
    public TableSql at(int place) {
        return targets.get(place);
    }

    /** The place's name in reports. */
    public String label(int place) {
        return sql.table().layout().asAtSource()
                ? shardName(place)
                : shardName(place) + "/" + targets.get(place).table().qualifiedName();
    }

    /** The place a report names; -1 for none of these. */
    public int place(String label) {
        for (int place = 0; place < size(); place++) {
            if (label(place).equals(label)) {
                return place;
            }
        }
        return -1;
    }

    /**
     * The place of a row, as an SQL expression over the table at the source; null for a table on
     * every shard, NULL for a row on no shard.
     */
    public String placeOf() {
        String shard = sql.shardOf(shardNames.size());
        if (shard == null || tablesPerShard == 1) {
            return shard;
        }
        return "(" + shard + ") * " + tablesPerShard + " + (" + sql.tableOf() + ")";
    }

    /**
     * Which rows at the source belong on some place: those the table's {@code where} keeps, but a
     * map rule's unlisted values, which the stream reports instead of writing.
     */
    public String placedAnywhere() {
        String place = placeOf();
        if (place == null || sql.placesEveryRow()) {
            return sql.kept();
        }
        String placed = place + " IS NOT NULL";
        return sql.table().where() == null ? placed : sql.kept() + " AND " + placed;
    }
}
