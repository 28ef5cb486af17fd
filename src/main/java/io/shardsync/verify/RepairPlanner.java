package io.shardsync.verify;

import io.shardsync.jdbc.Identifiers;
import io.shardsync.scan.KeyScope;
import io.shardsync.scan.TablePlaces;
import io.shardsync.scan.TableSql;
import io.shardsync.sink.ShardStatements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns verify differences into the statements that make each shard equal the source, reading each
 * row's current values at the source: a missing or different row is upserted on the shard it
 * belongs on, a copy on a wrong shard or not at the source (any more) is deleted. Upserts of a
 * table with a version column carry the version guard in either delivery mode, so a repair never
 * overwrites a newer version the stream wrote since it read the source.
 */
final class RepairPlanner {
    /** What planning reads at the source, now. */
    interface SourceRows {
        /**
         * Every column of a row as an SQL literal; empty when the row is gone or the table's {@code
         * where} does not keep it.
         */
        List<String> literals(TableSql sql, List<String> key) throws SQLException;

        /** The index of a row's place among {@code places}; null: in none. */
        Integer placeOf(TablePlaces places, List<String> key) throws SQLException;

        /** The rows of the source server behind {@code c}. */
        static SourceRows of(Connection c) {
            return new SourceRows() {
                @Override
                public List<String> literals(TableSql sql, List<String> key) throws SQLException {
                    return RowLiterals.of(c, sql, KeyScope.keys(sql, List.of(key)).and(sql.kept()));
                }

                @Override
                public Integer placeOf(TablePlaces places, List<String> key) throws SQLException {
                    TableSql sql = places.sql();
                    KeyScope one = KeyScope.keys(sql, List.of(key)).and(sql.kept());
                    try (PreparedStatement statement =
                            c.prepareStatement(
                                    "SELECT "
                                            + places.placeOf()
                                            + " FROM "
                                            + sql.name()
                                            + " WHERE "
                                            + one.condition())) {
                        one.bind(statement);
                        try (ResultSet rs = statement.executeQuery()) {
                            if (!rs.next()) {
                                return null;
                            }
                            int place = rs.getInt(1);
                            return rs.wasNull() ? null : place; // a map value on no shard
                        }
                    }
                }
            };
        }
    }

    private final SourceRows source;
    private final Map<String, TablePlaces> tables = new LinkedHashMap<>();
    private final List<String> shardNames;

    /**
     * Plans for the serving shards named {@code shardNames}, reading rows from {@code source};
     * {@code namedShards} are the config's shards, whose positions target names use.
     */
    RepairPlanner(
            SourceRows source,
            List<TableSql> tables,
            List<String> shardNames,
            List<String> namedShards) {
        this.source = source;
        this.shardNames = shardNames;
        for (TableSql sql : tables) {
            this.tables.put(
                    sql.table().qualifiedName(), new TablePlaces(sql, shardNames, namedShards));
        }
    }

    /** Statements per shard name, in the order of the differences. */
    Map<String, List<String>> plan(List<Difference> differences) throws SQLException {
        Map<String, List<String>> plan = new LinkedHashMap<>();
        shardNames.forEach(name -> plan.put(name, new ArrayList<>()));
        for (Difference d : differences) {
            if (d.kind() == Difference.Kind.SCHEMA) {
                continue; // a column, not a row: the shard's table needs the source's DDL
            }
            TablePlaces places = checked(d);
            List<String> row = source.literals(places.sql(), d.key());
            // a row gone at the source since verify: no copy of it may stay
            Integer right = row.isEmpty() ? null : rightPlace(places, d);
            for (String label : d.shards()) {
                int place = places.place(label);
                if (right == null || place != right) {
                    plan.get(places.shardName(place)).add(delete(places.at(place), d.key()));
                }
            }
            if (right != null && d.kind() != Difference.Kind.EXTRA) {
                plan.get(places.shardName(right)).add(upsert(places.at(right), row));
            }
        }
        return plan;
    }

    /**
     * The places of the difference's table, refused with the reason when the report does not fit
     * the config.
     */
    private TablePlaces checked(Difference d) {
        String otherConfig = "; was it written for another config?";
        TablePlaces places = tables.get(d.table());
        if (places == null) {
            throw new IllegalArgumentException(
                    "the report names table " + d.table() + ", not in the config" + otherConfig);
        }
        TableSql sql = places.sql();
        for (String label : d.shards()) {
            if (places.place(label) < 0) {
                throw new IllegalArgumentException(
                        "the report names shard '"
                                + label
                                + "', not in the config (shards: "
                                + shardNames
                                + ")"
                                + otherConfig);
            }
        }
        if (d.key().size() != sql.keyColumns().size()) {
            throw new IllegalArgumentException(
                    "the report's key "
                            + d.key()
                            + " of "
                            + d.table()
                            + " does not fit its primary key ("
                            + sql.keyList()
                            + ")"
                            + otherConfig);
        }
        return places;
    }

    /**
     * The place the row belongs in (for a table on every shard: the one the difference names); null
     * for a row in none.
     */
    private Integer rightPlace(TablePlaces places, Difference d) throws SQLException {
        if (!places.sql().isSharded()
                || d.kind() == Difference.Kind.MISSING
                || d.kind() == Difference.Kind.DIFFERENT) {
            return places.place(d.shards().get(0));
        }
        return source.placeOf(places, d.key());
    }

    private String upsert(TableSql sql, List<String> literals) {
        String columns =
                sql.table().columns().stream()
                        .map(c -> Identifiers.quote(c.name()))
                        .collect(Collectors.joining(", "));
        return "INSERT INTO "
                + sql.name()
                + " ("
                + columns
                + ") VALUES ("
                + String.join(", ", literals)
                + ") ON DUPLICATE KEY UPDATE "
                + ShardStatements.assignments(sql.table(), sql.table().versionIndex() >= 0)
                + ";";
    }

    private static String delete(TableSql sql, List<String> key) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < key.size(); i++) {
            values.add(sql.keyLiteral(i, key.get(i)));
        }
        return "DELETE FROM "
                + sql.name()
                + " WHERE ("
                + sql.keyList()
                + ") = ("
                + String.join(", ", values)
                + ");";
    }
}
