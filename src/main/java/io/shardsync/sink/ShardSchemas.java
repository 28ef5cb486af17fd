package io.shardsync.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.jdbc.Identifiers;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.Ddl;
import io.shardsync.model.SyncTable;
import io.shardsync.model.TargetLayout;
import io.shardsync.source.InformationSchema;
import io.shardsync.source.SchemaLoader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each synced table as one shard has it now: its columns and unique keys, and the schema changes
 * the shard applied to it ({@code shardsync.schema_changes}). A change is written in these terms,
 * whatever the columns of its image: by the columns the shard has (a column renamed since the
 * change by its new name, one dropped since left out, one added since left to its default), and not
 * at all when the table was emptied after it. So a writer may apply a schema change while another
 * writer of the shard still holds changes from before it: those land as they would have before the
 * statement.
 */
final class ShardSchemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    // shared by the writers of a reshard copy, which run on several threads
    private final Map<String, OnShard> cache = new ConcurrentHashMap<>();

    /**
     * The table as the shard has it, read in the connection's open transaction, which from then on
     * holds the table's metadata lock: no schema change of the table runs on the shard until the
     * transaction ends.
     */
    OnShard current(Connection connection, SyncTable table) throws SQLException {
        List<AppliedDdl> applied = applied(connection, table);
        OnShard cached = cache.get(table.qualifiedName());
        // while a statement is being applied its table may change at any moment before it is
        // marked done: read the table anew until then
        if (cached != null
                && cached.applied.equals(applied)
                && applied.stream().allMatch(AppliedDdl::done)) {
            return cached;
        }
        OnShard loaded = new OnShard(table, applied, connection);
        cache.put(table.qualifiedName(), loaded);
        return loaded;
    }

    /** The schema changes the shard recorded for the table, in binlog order. */
    private static List<AppliedDdl> applied(Connection connection, SyncTable table)
            throws SQLException {
        // the join opens the table itself, taking its metadata lock before the log is read
        String sql =
                "SELECT source_id, file_index, position, action, renamed, done FROM "
                        + ControlTables.SCHEMA_CHANGES
                        + " LEFT JOIN (SELECT 1 AS held FROM "
                        + Identifiers.name(table)
                        + " LIMIT 0) AS metadata_lock ON FALSE"
                        + " WHERE table_name = ? ORDER BY file_index, position";
        List<AppliedDdl> applied = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, table.qualifiedName());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    applied.add(
                            new AppliedDdl(
                                    rs.getString(1),
                                    rs.getLong(2),
                                    rs.getLong(3),
                                    Ddl.Action.valueOf(rs.getString(4)),
                                    renamed(rs.getString(5)),
                                    rs.getBoolean(6)));
                }
            }
        }
        return applied;
    }

    private static Map<String, String> renamed(String json) throws SQLException {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable renamed columns " + json, e);
        }
    }

    /** One table on the shard. */
    static final class OnShard {
        private final SyncTable table;
        private final List<AppliedDdl> applied;
        private final Map<String, Column> columns = new LinkedHashMap<>();
        private final List<List<String>> uniqueKeys = new ArrayList<>();
        private final Map<List<String>, View> views = new ConcurrentHashMap<>();

        private OnShard(SyncTable table, List<AppliedDdl> applied, Connection connection)
                throws SQLException {
            this.table = table;
            this.applied = applied;
            for (Column column :
                    InformationSchema.columns(connection, table.database(), table.table())) {
                columns.put(lower(column.name()), column);
            }
            uniqueKeys.add(
                    InformationSchema.primaryKey(connection, table.database(), table.table()));
            uniqueKeys.addAll(
                    InformationSchema.secondaryUniqueKeys(
                                    connection, table.database(), table.table())
                            .values());
        }

        /** Whether the shard emptied the table after the change was made at the source. */
        boolean emptiedAfter(ChangeEvent change) {
            for (AppliedDdl ddl : applied) {
                if (ddl.action().empties() && ddl.isAfter(change)) {
                    return true;
                }
            }
            return false;
        }

        /** How the shard takes images of the given columns (null: the table's own). */
        View view(String[] imageColumns) {
            List<String> key = imageColumns == null ? List.of() : Arrays.asList(imageColumns);
            return views.computeIfAbsent(key, k -> newView(imageColumns));
        }

        private View newView(String[] imageColumns) {
            String[] names =
                    imageColumns != null
                            ? imageColumns
                            : table.columns().stream().map(Column::name).toArray(String[]::new);
            List<Column> written = new ArrayList<>();
            List<Integer> from = new ArrayList<>();
            for (int i = 0; i < names.length; i++) {
                Column column = onShard(names[i]);
                if (column != null && !written.contains(column)) {
                    written.add(column);
                    from.add(i);
                }
            }
            int[] keyIndexes =
                    Arrays.stream(table.keyIndexes()).map(k -> required(written, k)).toArray();
            List<String> keyNames =
                    Arrays.stream(keyIndexes).mapToObj(k -> lower(written.get(k).name())).toList();
            List<int[]> otherUniqueKeys = new ArrayList<>();
            for (List<String> unique : uniqueKeys) {
                List<String> lowered = unique.stream().map(ShardSchemas::lower).toList();
                int[] indexes = lowered.stream().mapToInt(c -> indexOf(written, c)).toArray();
                if (!lowered.isEmpty()
                        && !SchemaLoader.sameColumns(lowered, keyNames)
                        && Arrays.stream(indexes).allMatch(c -> c >= 0)) {
                    otherUniqueKeys.add(indexes);
                }
            }
            SyncTable inView =
                    new SyncTable(
                            table.database(),
                            table.table(),
                            List.copyOf(written),
                            keyIndexes,
                            table.shardKeyIndex() < 0
                                    ? -1
                                    : indexOf(
                                            written,
                                            lower(
                                                    table.columns()
                                                            .get(table.shardKeyIndex())
                                                            .name())),
                            table.shardRule(),
                            table.versionIndex() < 0 ? -1 : required(written, table.versionIndex()),
                            List.copyOf(otherUniqueKeys),
                            null,
                            table.schemaChanges(),
                            table.where(),
                            TargetLayout.SOURCE_NAMES); // a view writes rows routed already
            boolean whole = from.size() == names.length;
            return new View(inView, whole ? null : from.stream().mapToInt(i -> i).toArray());
        }

        /** The shard's column of an image column: by its name, or the name it was renamed to. */
        private Column onShard(String name) {
            String current = lower(name);
            Column column = columns.get(current);
            if (column != null) {
                return column;
            }
            for (AppliedDdl ddl : applied) {
                current = ddl.renamed().getOrDefault(current, current);
            }
            return columns.get(current);
        }

        private int required(List<Column> written, int tableIndex) {
            String name = table.columns().get(tableIndex).name();
            int index = indexOf(written, lower(name));
            if (index < 0) {
                throw new IllegalStateException(
                        "column '"
                                + name
                                + "' of "
                                + table.qualifiedName()
                                + " is not on the shard");
            }
            return index;
        }

        private static int indexOf(List<Column> columns, String lowerName) {
            for (int i = 0; i < columns.size(); i++) {
                if (lower(columns.get(i).name()).equals(lowerName)) {
                    return i;
                }
            }
            return -1;
        }
    }

    /**
     * Images of some columns as the shard takes them: the table in the shard's terms, and which
     * image value each of its columns takes (null: all of them, in order).
     */
    record View(SyncTable table, int[] from) {
        List<ChangeEvent> project(List<ChangeEvent> changes) {
            if (from == null) {
                return changes;
            }
            List<ChangeEvent> projected = new ArrayList<>(changes.size());
            for (ChangeEvent change : changes) {
                ChangeEvent copy = change.withOp(change.op, change.key, pick(change.after));
                copy.before = pick(change.before);
                copy.columns = null;
                projected.add(copy);
            }
            return projected;
        }

        private String[] pick(String[] image) {
            if (image == null) {
                return null;
            }
            String[] picked = new String[from.length];
            for (int i = 0; i < from.length; i++) {
                picked[i] = image[from[i]];
            }
            return picked;
        }
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
