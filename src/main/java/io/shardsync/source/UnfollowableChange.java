package io.shardsync.source;

import io.shardsync.expr.RowCondition;
import io.shardsync.model.Column;
import io.shardsync.model.SyncTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A DDL statement's change to a column that names, places or orders a synced table's rows: its
 * primary key (or the UNIQUE key configured as its key), its shard key, its version column, or a
 * column its {@code where:} condition names. The job cannot follow such a change ({@link
 * SchemaChange.Effect#UNFOLLOWABLE}): rows already on the shards would be keyed, placed or ordered
 * by what the column was.
 */
final class UnfollowableChange {
    private static final Pattern CONVERT =
            Pattern.compile(
                    "\\bCONVERT\\s+TO\\s+(CHARACTER\\s+SET|CHARSET)\\b", Pattern.CASE_INSENSITIVE);

    private UnfollowableChange() {}

    /**
     * What the statement does to a column that names, places or orders the table's rows, in words;
     * null if it leaves them alone.
     */
    static String of(String ddl, SyncTable table, SchemaChange.Definition definition) {
        List<String> key = new ArrayList<>();
        for (int k : table.keyIndexes()) {
            key.add(table.columns().get(k).name().toLowerCase(Locale.ROOT));
        }
        List<String> newKey =
                definition.primaryKey().stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        List<List<String>> uniqueKeys = new ArrayList<>();
        for (int[] unique : table.uniqueKeys()) {
            List<String> names = new ArrayList<>();
            for (int c : unique) {
                names.add(table.columns().get(c).name().toLowerCase(Locale.ROOT));
            }
            uniqueKeys.add(names);
        }
        // a table named by a UNIQUE key of its own (primaryKey in the config) keeps its PRIMARY
        // among its unique keys
        if (newKey.isEmpty() && uniqueKeys.isEmpty()) {
            return "leaves it without a primary key";
        }
        if (!newKey.isEmpty()
                && !SchemaLoader.sameColumns(newKey, key)
                && uniqueKeys.stream().noneMatch(u -> SchemaLoader.sameColumns(u, newKey))) {
            return "changes its primary key from " + key + " to " + newKey;
        }
        if (CONVERT.matcher(ddl).find()) {
            return "converts its text columns to another character set, which may change how its"
                    + " key compares";
        }
        List<Integer> roles = new ArrayList<>();
        for (int k : table.keyIndexes()) {
            roles.add(k);
        }
        roles.add(table.shardKeyIndex());
        roles.add(table.versionIndex());
        Set<Integer> filtering =
                table.where() == null
                        ? Set.of()
                        : RowCondition.compile(table.where(), table).columns();
        roles.addAll(filtering);
        for (int index : roles) {
            if (index < 0) {
                continue;
            }
            Column column = table.columns().get(index);
            int at =
                    definition.columns().stream()
                            .map(c -> c.toLowerCase(Locale.ROOT))
                            .toList()
                            .indexOf(column.name().toLowerCase(Locale.ROOT));
            if (at < 0) {
                return "drops or renames column '"
                        + column.name()
                        + "', which "
                        + role(table, index);
            }
            boolean roleBeyondTheFilter =
                    index == table.shardKeyIndex()
                            || index == table.versionIndex()
                            || Arrays.stream(table.keyIndexes()).anyMatch(k -> k == index);
            if (!roleBeyondTheFilter) {
                continue; // a filter column may change its type: the condition compares values
            }
            if (!Objects.equals(definition.types().get(at), column.dataType())
                    || redefines(ddl, column.name())) {
                return "changes the type of column '"
                        + column.name()
                        + "', which "
                        + role(table, index);
            }
        }
        return null;
    }

    /**
     * Whether the statement redefines the column ({@code MODIFY}, {@code CHANGE}): its collation
     * may change, which Debezium's definition does not carry.
     */
    private static boolean redefines(String ddl, String column) {
        return Pattern.compile(
                        "\\b(MODIFY|CHANGE)(\\s+COLUMN)?\\s+`?"
                                + Pattern.quote(column)
                                + "`?(?![\\w$])",
                        Pattern.CASE_INSENSITIVE)
                .matcher(ddl)
                .find();
    }

    private static String role(SyncTable table, int index) {
        if (index == table.versionIndex()) {
            return "orders its versions";
        }
        if (index == table.shardKeyIndex()) {
            return "picks its shard";
        }
        return Arrays.stream(table.keyIndexes()).anyMatch(k -> k == index)
                ? "is part of its key"
                : "its where: condition names (change the condition with the column)";
    }
}
