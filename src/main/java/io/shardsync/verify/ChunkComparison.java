package io.shardsync.verify;

import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import io.shardsync.placement.Placement;
import io.shardsync.scan.KeyCutter;
import io.shardsync.scan.KeyScope;
import io.shardsync.scan.TablePlaces;
import io.shardsync.scan.TableSql;
import io.shardsync.verify.Difference.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares one scope of a table between the source and the shards: first one checksum per place
 * (each table of it on each server: count, XOR of row fingerprints, rows in a wrong place), and
 * only when they disagree, row by row. Holds one connection per server, so each worker thread has
 * its own instance.
 */
final class ChunkComparison implements AutoCloseable {
    private final Connection source;
    private final List<Connection> shards;
    private final List<String> shardNames;
    private final List<String> shadowNames;
    private final List<String> namedShards;
    private final Map<String, TablePlaces> places = new HashMap<>();

    /** Each table as the shadow placement routes it, as the shards hold it; by source name. */
    private final Map<String, SyncTable> shadowTables = new HashMap<>();

    private final Map<String, TablePlaces> shadowPlaces = new HashMap<>();

    private ChunkComparison(
            Connection source,
            List<Connection> shards,
            Placement placement,
            List<SyncTable> tables,
            List<String> namedShards) {
        this.source = source;
        this.shards = shards;
        this.shardNames = placement.servingNames();
        this.shadowNames = placement.shadowNames();
        this.namedShards = namedShards;
        if (!shadowNames.isEmpty()) {
            placement
                    .shadowTables(tables)
                    .forEach(t -> shadowTables.put(t.qualifiedName(), t.written()));
        }
    }

    /**
     * Compares the source with the serving shards of a placement, {@code tables} being the config's
     * (each placement routes them by its rules).
     */
    static ChunkComparison open(JobConfig config, Placement placement, List<SyncTable> tables)
            throws SQLException {
        List<Connection> shards = new ArrayList<>();
        for (ShardConfig shard : placement.serving()) {
            shards.add(Connections.shard(shard));
        }
        return new ChunkComparison(
                Connections.source(config.singleSource()),
                shards,
                placement,
                tables,
                ShardConfig.names(config.namedShards()));
    }

    /** Where the table's rows are on the serving shards. */
    TablePlaces places(TableSql sql) {
        return places.computeIfAbsent(
                sql.table().qualifiedName(), t -> new TablePlaces(sql, shardNames, namedShards));
    }

    /** The place of a row in the serving placement; null for a table on every shard. */
    private String placeOf(TableSql sql) {
        return places(sql).placeOf();
    }

    private Connection connection(TableSql sql, int place) {
        return shards.get(places(sql).shard(place));
    }

    /**
     * Which of a place's rows the serving placement accounts for: all but the copies a reshard's
     * shadow placement keeps in the same table of its shard, which are not its business (the
     * shadow's own verify checks them).
     */
    private String placedOn(TableSql sql, int place) {
        SyncTable shadowTable = shadowTables.get(sql.table().qualifiedName());
        if (!sql.isSharded() || shadowTable == null) {
            return "TRUE";
        }
        TablePlaces shadow =
                shadowPlaces.computeIfAbsent(
                        shadowTable.qualifiedName(),
                        t -> new TablePlaces(new TableSql(shadowTable), shadowNames, namedShards));
        String table = places(sql).at(place).table().qualifiedName();
        for (int copies = 0; copies < shadow.size(); copies++) {
            if (shadow.shardName(copies).equals(places(sql).shardName(place))
                    && shadow.at(copies).table().qualifiedName().equals(table)) {
                return "("
                        + placeOf(sql)
                        + " = "
                        + place
                        + " OR NOT ("
                        + shadow.placeOf()
                        + " <=> "
                        + copies
                        + "))";
            }
        }
        return "TRUE";
    }

    Checksum checksum(TableSql sql, KeyScope scope) throws SQLException {
        long[][] shards = new long[places(sql).size()][];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = checksum(connection(sql, i), sql, scope, i);
        }
        return new Checksum(placeOf(sql) == null, checksum(source, sql, scope, -1), shards);
    }

    /** Count, fingerprint XOR and misplaced rows of a place ({@code place} -1: the source). */
    private long[] checksum(Connection c, TableSql sql, KeyScope scope, int place)
            throws SQLException {
        String misplaced =
                place < 0 || placeOf(sql) == null
                        ? "0"
                        : "SUM(" + placeOf(sql) + " != " + place + ")";
        String query =
                "SELECT COUNT(*), COALESCE(BIT_XOR("
                        + sql.fingerprint()
                        + "), 0), COALESCE("
                        + misplaced
                        + ", 0) FROM "
                        + from(sql, place)
                        + " WHERE "
                        + scope.condition()
                        + " AND "
                        + (place < 0 ? places(sql).placedAnywhere() : placedOn(sql, place));
        try (PreparedStatement statement = c.prepareStatement(query)) {
            scope.bind(statement);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return new long[] {
                    rs.getLong(1), Long.parseUnsignedLong(rs.getString(2)), rs.getLong(3)
                };
            }
        }
    }

    /**
     * The rows of a range that differ, each with its kind, given its checksums. A range with more
     * than {@code limit} source rows is split in two and only the halves whose checksums disagree
     * are looked into, so one bad row in a large chunk costs a few checksums, not a full row
     * comparison; only the first half is checksummed, the second's are the range's without it.
     */
    List<Difference> differences(TableSql sql, KeyScope range, Checksum checksum, long limit)
            throws SQLException {
        if (checksum.sourceRows() <= limit) {
            return differences(sql, range);
        }
        List<String> middle = KeyCutter.keyAt(source, sql, range, checksum.sourceRows() / 2 - 1);
        if (middle == null) { // the source changed meanwhile
            return differences(sql, range);
        }
        KeyScope first = KeyScope.range(sql, range.lower(), middle);
        Checksum firstSums = checksum(sql, first);
        List<Difference> differences = new ArrayList<>();
        if (!firstSums.matches()) {
            differences.addAll(differences(sql, first, firstSums, limit));
        }
        // Beside a running job the first half may have changed since the range's checksums: the
        // rest's then carry that change too, and may disagree where nothing differs (its row
        // comparison finds nothing); they hide a difference only by a 64-bit coincidence.
        Checksum secondSums = checksum.without(firstSums);
        if (!secondSums.matches()) {
            differences.addAll(
                    differences(
                            sql, KeyScope.range(sql, middle, range.upper()), secondSums, limit));
        }
        return differences;
    }

    /** The rows of the scope that differ, compared one by one, in key order. */
    List<Difference> differences(TableSql sql, KeyScope scope) throws SQLException {
        Map<List<String>, String[]> expected = rows(source, sql, scope, -1);
        List<Map<List<String>, String[]>> actual = new ArrayList<>();
        for (int i = 0; i < places(sql).size(); i++) {
            actual.add(rows(connection(sql, i), sql, scope, i));
        }
        Set<List<String>> keys = new HashSet<>(expected.keySet());
        actual.forEach(rows -> keys.addAll(rows.keySet()));
        List<Difference> differences = new ArrayList<>();
        for (List<String> key : keys) {
            if (placeOf(sql) == null) {
                for (int i = 0; i < places(sql).size(); i++) {
                    compare(sql, key, expected.get(key), actual.get(i).get(key), i, differences);
                }
            } else {
                compareSharded(sql, key, expected.get(key), actual, differences);
            }
        }
        differences.sort(Comparator.comparing(Difference::key, KeyOrder.INSTANCE));
        return differences;
    }

    /** The source's row fingerprints of a scope, by key (a row that is gone is absent). */
    Map<List<String>, String> sourceFingerprints(TableSql sql, KeyScope scope) throws SQLException {
        Map<List<String>, String> fingerprints = new HashMap<>();
        rows(source, sql, scope, -1).forEach((key, row) -> fingerprints.put(key, row[0]));
        return fingerprints;
    }

    /** The image fingerprint of each DIFFERENT row's copy in the place the difference names. */
    Map<Difference, String> copyFingerprints(
            TableSql sql, KeyScope keys, List<Difference> differences) throws SQLException {
        Map<Difference, String> copies = new HashMap<>();
        for (int i = 0; i < places(sql).size(); i++) {
            Map<List<String>, String[]> copy = null;
            for (Difference d : differences) {
                if (d.kind() == Kind.DIFFERENT && d.shards().get(0).equals(places(sql).label(i))) {
                    copy = copy == null ? rows(connection(sql, i), sql, keys, i) : copy;
                    String[] row = copy.get(d.key());
                    if (row != null) {
                        copies.put(d, row[0]);
                    }
                }
            }
        }
        return copies;
    }

    private void compareSharded(
            TableSql sql,
            List<String> key,
            String[] expected,
            List<Map<List<String>, String[]>> actual,
            List<Difference> out)
            throws SQLException {
        List<Integer> holders = new ArrayList<>();
        for (int i = 0; i < actual.size(); i++) {
            if (actual.get(i).containsKey(key)) {
                holders.add(i);
            }
        }
        if (expected == null || holders.isEmpty()) {
            if (expected == null) {
                holders.forEach(i -> out.add(difference(sql, Kind.EXTRA, key, i, List.of())));
            } else {
                out.add(
                        difference(
                                sql, Kind.MISSING, key, Integer.parseInt(expected[1]), List.of()));
            }
            return;
        }
        int right = Integer.parseInt(expected[1]);
        if (holders.size() > 1) {
            out.add(
                    new Difference(
                            sql.table().qualifiedName(),
                            Kind.DUPLICATED,
                            key,
                            holders.stream().map(places(sql)::label).toList(),
                            List.of()));
        } else if (holders.get(0) != right) {
            out.add(difference(sql, Kind.WRONG_SHARD, key, holders.get(0), List.of()));
        } else {
            compare(sql, key, expected, actual.get(right).get(key), right, out);
        }
    }

    private void compare(
            TableSql sql,
            List<String> key,
            String[] expected,
            String[] actual,
            int place,
            List<Difference> out)
            throws SQLException {
        if (expected == null && actual == null) {
            return;
        }
        if (actual == null) {
            out.add(difference(sql, Kind.MISSING, key, place, List.of()));
        } else if (expected == null) {
            out.add(difference(sql, Kind.EXTRA, key, place, List.of()));
        } else if (!expected[0].equals(actual[0])) {
            out.add(difference(sql, Kind.DIFFERENT, key, place, differingColumns(sql, key, place)));
        }
    }

    private List<String> differingColumns(TableSql sql, List<String> key, int place)
            throws SQLException {
        KeyScope one = KeyScope.keys(sql, List.of(key));
        List<String> expected = RowLiterals.of(source, sql, one);
        List<String> actual = RowLiterals.of(connection(sql, place), places(sql).at(place), one);
        if (expected.isEmpty() || actual.isEmpty()) {
            return List.of(); // the row went away meanwhile; a recheck looks at it again
        }
        List<String> columns = new ArrayList<>();
        List<Column> all = sql.table().columns();
        for (int i = 0; i < all.size(); i++) {
            if (!Objects.equals(expected.get(i), actual.get(i))) {
                columns.add(all.get(i).name());
            }
        }
        return columns;
    }

    /** key → [fingerprint, place index (source only)]; {@code place} -1 is the source. */
    private Map<List<String>, String[]> rows(Connection c, TableSql sql, KeyScope scope, int place)
            throws SQLException {
        String placeOf = place < 0 && placeOf(sql) != null ? placeOf(sql) : "0";
        String query =
                "SELECT "
                        + sql.keyTexts()
                        + ", "
                        + sql.fingerprint()
                        + ", "
                        + placeOf
                        + " FROM "
                        + from(sql, place)
                        + " WHERE "
                        + scope.condition()
                        + " AND "
                        + (place < 0 ? places(sql).placedAnywhere() : placedOn(sql, place));
        int keyCount = sql.keyColumns().size();
        Map<List<String>, String[]> rows = new HashMap<>();
        try (PreparedStatement statement = c.prepareStatement(query)) {
            scope.bind(statement);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    List<String> key = new ArrayList<>(keyCount);
                    for (int i = 1; i <= keyCount; i++) {
                        key.add(rs.getString(i));
                    }
                    rows.put(
                            key,
                            new String[] {rs.getString(keyCount + 1), rs.getString(keyCount + 2)});
                }
            }
        }
        return rows;
    }

    /** The table's name at a place ({@code place} -1: at the source). */
    private String from(TableSql sql, int place) {
        return place < 0 ? sql.name() : places(sql).at(place).name();
    }

    private Difference difference(
            TableSql sql, Kind kind, List<String> key, int place, List<String> columns) {
        return new Difference(
                sql.table().qualifiedName(), kind, key, List.of(places(sql).label(place)), columns);
    }

    @Override
    public void close() throws SQLException {
        source.close();
        for (Connection shard : shards) {
            shard.close();
        }
    }
}
