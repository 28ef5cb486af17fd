package io.shardsync.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Compares a source table with the union of its shards, row by row and byte by byte (every column
 * as HEX of its text, so numbers, temporals and bytes compare exactly), and checks each row sits on
 * exactly one shard, the one it belongs to.
 */
public final class ShardedTable {
    /** A table on a shard server: where some of the source table's rows are. */
    public record Place(int port, String table) {}

    private final String database;
    private final String table;
    private final List<Place> places;

    /** The key column, or an SQL expression of the row (e.g. {@code HEX(id)}) naming it. */
    private final String keyColumn;

    /** Which place a row belongs in, from its row text. */
    private final Function<Map<String, String>, Integer> shardOf;

    public ShardedTable(
            String database,
            String table,
            String keyColumn,
            Function<Map<String, String>, Integer> shardOf) {
        this(database, table, keyColumn, MariaDb.SHARD_PORTS, shardOf);
    }

    /** The same table sharded over the servers on {@code shardPorts}, in placement order. */
    public ShardedTable(
            String database,
            String table,
            String keyColumn,
            List<Integer> shardPorts,
            Function<Map<String, String>, Integer> shardOf) {
        this(
                database,
                table,
                keyColumn,
                shardOf,
                shardPorts.stream().map(port -> new Place(port, database + "." + table)).toList());
    }

    /**
     * The table spread over tables of shard servers (several per server, other names): {@code
     * placeOf} gives the index of a row's place.
     */
    public static ShardedTable spread(
            String database,
            String table,
            String keyColumn,
            List<Place> places,
            Function<Map<String, String>, Integer> placeOf) {
        return new ShardedTable(database, table, keyColumn, placeOf, places);
    }

    /**
     * The rows of {@code source} (a table or a view at the source) as table {@code target} of the
     * same database holds them on each of the two local shards, by {@code user_id % 2}.
     */
    public static ShardedTable byUserInto(String database, String source, String target) {
        return spread(
                database,
                source,
                "id",
                MariaDb.SHARD_PORTS.stream()
                        .map(port -> new Place(port, database + "." + target))
                        .toList(),
                row -> Integer.parseInt(text(row, "user_id")) % 2);
    }

    private ShardedTable(
            String database,
            String table,
            String keyColumn,
            Function<Map<String, String>, Integer> placeOf,
            List<Place> places) {
        this.database = database;
        this.table = table;
        this.keyColumn = keyColumn;
        this.places = places;
        this.shardOf = placeOf;
    }

    /** The differences between source and shards; empty when they agree exactly. */
    public List<String> differences() throws SQLException, IOException {
        return differencesFrom(rows(MariaDb.SOURCE_PORT));
    }

    /** The differences between the expected rows (key → row, as {@link #rows}) and the shards. */
    public List<String> differencesFrom(Map<String, Map<String, String>> source)
            throws SQLException, IOException {
        Map<String, String> placement = new HashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> union = new TreeMap<>();
        for (int shard = 0; shard < places.size(); shard++) {
            Place place = places.get(shard);
            for (Map.Entry<String, Map<String, String>> row :
                    rows(place.port(), place.table()).entrySet()) {
                String key = row.getKey();
                if (placement.containsKey(key)) {
                    problems.add(
                            "duplicate "
                                    + key
                                    + " on shards "
                                    + placement.get(key)
                                    + " and "
                                    + shard);
                }
                placement.put(key, String.valueOf(shard));
                union.put(key, row.getValue());
                Map<String, String> sourceRow = source.get(key);
                if (sourceRow != null && shardOf.apply(sourceRow) != shard) {
                    problems.add("wrong shard " + key + " on " + shard);
                }
            }
        }
        for (Map.Entry<String, Map<String, String>> row : source.entrySet()) {
            Map<String, String> target = union.get(row.getKey());
            if (target == null) {
                problems.add("missing " + row.getKey());
            } else if (!target.equals(row.getValue())) {
                problems.add(
                        "different "
                                + row.getKey()
                                + ": source "
                                + row.getValue()
                                + " shard "
                                + target);
            }
        }
        for (String key : union.keySet()) {
            if (!source.containsKey(key)) {
                problems.add("extra " + key);
            }
        }
        return problems;
    }

    /** Every row of the table on one server: key → (column → HEX of the value, or null). */
    public Map<String, Map<String, String>> rows(int port) throws SQLException, IOException {
        return rows(port, database + "." + table);
    }

    private Map<String, Map<String, String>> rows(int port, String qualifiedTable)
            throws SQLException, IOException {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = MariaDb.admin(port);
                Statement s = c.createStatement()) {
            List<String> columns = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT * FROM " + qualifiedTable + " LIMIT 0")) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    columns.add(rs.getMetaData().getColumnName(i));
                }
            } catch (SQLException e) {
                if (e.getErrorCode() == 1146) { // table does not exist (yet)
                    return rows;
                }
                throw e;
            }
            StringBuilder select =
                    new StringBuilder("SELECT ")
                            .append(keyColumn.matches("\\w+") ? "`" + keyColumn + "`" : keyColumn);
            for (String column : columns) {
                select.append(", HEX(CONCAT(`").append(column).append("`))");
            }
            try (ResultSet rs = s.executeQuery(select + " FROM " + qualifiedTable)) {
                while (rs.next()) {
                    Map<String, String> row = new TreeMap<>();
                    for (int i = 0; i < columns.size(); i++) {
                        row.put(columns.get(i), rs.getString(i + 2));
                    }
                    rows.put(rs.getString(1), row);
                }
            }
        }
        return rows;
    }

    /**
     * Waits until source and shards agree (or the timeout passes) and returns what still differs.
     */
    public List<String> awaitEqual(long timeoutMs) throws Exception {
        return awaitEqual(timeoutMs, () -> rows(MariaDb.SOURCE_PORT));
    }

    /** The rows a check expects on the shards, read anew for each comparison. */
    public interface Expected {
        Map<String, Map<String, String>> rows() throws SQLException, IOException;
    }

    /** Waits until the shards hold the expected rows and returns what still differs. */
    public List<String> awaitEqual(long timeoutMs, Expected expected) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        List<String> problems = differencesFrom(expected.rows());
        while (!problems.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            problems = differencesFrom(expected.rows());
        }
        return problems.size() > 20 ? problems.subList(0, 20) : problems;
    }

    /** A column's text from its HEX form. */
    public static String text(Map<String, String> row, String column) {
        String hex = row.get(column);
        return hex == null
                ? null
                : new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }
}
