package io.shardsync.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.jdbc.Identifiers;
import io.shardsync.jdbc.SqlErrors;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Column;
import io.shardsync.model.Ddl;
import io.shardsync.model.SyncTable;
import io.shardsync.source.InformationSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a schema change of a synced table to one shard, once: the first writer of the shard to
 * reach the statement runs it, the others find it done. Under a lock named after the table, it is
 * recorded in {@code shardsync.schema_changes}, run, and marked done; a writer that finds it
 * recorded and not done (one failed in between) runs it again, and a statement the shard already
 * took (a column already there, or already gone) is done when the shard's columns are the ones the
 * source has after it. A statement the shard refuses stops the job once, with what to do.
 */
final class ShardDdl {
    private static final Logger LOG = LoggerFactory.getLogger(ShardDdl.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Errors of a statement the shard already took: table exists, unknown table, unknown column,
     * duplicate column, duplicate key name, cannot drop (no such column or key).
     */
    private static final Set<Integer> ALREADY_SO = Set.of(1050, 1051, 1054, 1060, 1061, 1091);

    private static final int LOCK_WAIT_SECONDS = 60;

    /** The statement's row in the log, bound by {@link #bindId}. */
    private static final String THE_STATEMENT =
            " WHERE table_name = ? AND source_id = ? AND file_index = ? AND position = ?";

    private final String shardName;

    ShardDdl(String shardName) {
        this.shardName = shardName;
    }

    void apply(Connection connection, SyncTable table, ChangeEvent event) throws SQLException {
        Ddl ddl = Ddl.of(event);
        String lock = "shardsync.ddl." + Integer.toHexString(table.qualifiedName().hashCode());
        lock(connection, lock);
        try {
            Boolean done = recorded(connection, table, event);
            if (Boolean.TRUE.equals(done)) {
                return;
            }
            if (done == null) {
                record(connection, table, event, ddl);
                connection.commit(); // seen by every writer before the statement runs
            }
            run(connection, table, event, ddl);
            markDone(connection, table, event);
            connection.commit();
            LOG.info(
                    "Shard {}: {} {} ({})",
                    shardName,
                    table.qualifiedName(),
                    ddl.what(),
                    ddl.statement());
        } finally {
            try (PreparedStatement release = connection.prepareStatement("DO RELEASE_LOCK(?)")) {
                release.setString(1, lock);
                release.execute();
            }
        }
    }

    private void run(Connection connection, SyncTable table, ChangeEvent event, Ddl ddl)
            throws SQLException {
        String name = Identifiers.name(table);
        try (Statement statement = connection.createStatement()) {
            switch (ddl.action()) {
                case REPLAY, CREATE -> {
                    statement.execute("USE " + Identifiers.quote(table.database()));
                    statement.execute(onTable(table, event, ddl));
                }
                case TRUNCATE -> statement.execute("TRUNCATE TABLE " + name);
                case DROP -> statement.execute("DROP TABLE IF EXISTS " + name);
                case CHECK -> {
                    if (!hasColumns(connection, table, event)) {
                        throw refused(table, event, ddl, columnsOf(connection, table));
                    }
                }
                case REPORT -> throw new IllegalArgumentException("a reported statement");
            }
        } catch (SQLException e) {
            if (ALREADY_SO.contains(e.getErrorCode()) && hasColumns(connection, table, event)) {
                return;
            }
            if (SqlErrors.isTransient(e)) {
                throw e;
            }
            throw refused(table, event, ddl, e.getMessage());
        }
    }

    /** The statement as this shard runs it: on the table's name there. */
    private String onTable(SyncTable table, ChangeEvent event, Ddl ddl) {
        if (table.layout().asAtSource()) {
            return ddl.statement();
        }
        return DdlTarget.on(ddl.statement(), table)
                .orElseThrow(
                        () ->
                                refused(
                                        table,
                                        event,
                                        ddl,
                                        "the table has another name on the shard, and the"
                                                + " statement names it in a form the job cannot"
                                                + " replace"));
    }

    private SuppressRestartsException refused(
            SyncTable table, ChangeEvent event, Ddl ddl, String why) {
        return new SuppressRestartsException(
                new IllegalStateException(
                        "shard '"
                                + shardName
                                + "' cannot follow the schema change of table "
                                + table.qualifiedName()
                                + " at "
                                + event.binlogFile
                                + ":"
                                + event.version.position
                                + " ('"
                                + ddl.statement()
                                + "', which "
                                + ddl.what()
                                + "): "
                                + why
                                + ". Make the table on the shard what the statement makes it at the"
                                + " source (by hand), then resume from the last checkpoint or"
                                + " savepoint: the statement counts as applied once the shard has"
                                + " the source's columns. Or set schemaChanges: ignore for the"
                                + " table (README \"Schema changes\")"));
    }

    /** Whether the shard's table has the columns the source's has after the statement. */
    private static boolean hasColumns(Connection connection, SyncTable table, ChangeEvent event)
            throws SQLException {
        if (event.columns == null) {
            return true;
        }
        Set<String> expected =
                Arrays.stream(event.columns)
                        .map(c -> c.toLowerCase(Locale.ROOT))
                        .collect(Collectors.toSet());
        return expected.equals(
                InformationSchema.columns(connection, table.database(), table.table()).stream()
                        .map(c -> c.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.toSet()));
    }

    private static String columnsOf(Connection connection, SyncTable table) throws SQLException {
        return "the shard has columns "
                + InformationSchema.columns(connection, table.database(), table.table()).stream()
                        .map(Column::name)
                        .toList();
    }

    private static void lock(Connection connection, String lock) throws SQLException {
        try (PreparedStatement get = connection.prepareStatement("SELECT GET_LOCK(?, ?)")) {
            get.setString(1, lock);
            get.setInt(2, LOCK_WAIT_SECONDS);
            try (ResultSet rs = get.executeQuery()) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    throw new SQLTransientException("waited too long for the lock " + lock);
                }
            }
        }
    }

    /** Whether the statement is recorded done; null when it is not recorded. */
    private static Boolean recorded(Connection connection, SyncTable table, ChangeEvent event)
            throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement(
                        "SELECT done FROM " + ControlTables.SCHEMA_CHANGES + THE_STATEMENT)) {
            bindId(select, table, event);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? rs.getBoolean(1) : null;
            }
        }
    }

    private static void record(Connection connection, SyncTable table, ChangeEvent event, Ddl ddl)
            throws SQLException {
        try (PreparedStatement insert =
                connection.prepareStatement(
                        "INSERT INTO "
                                + ControlTables.SCHEMA_CHANGES
                                + " (table_name, source_id, file_index, position, action, renamed,"
                                + " statement, done) VALUES (?, ?, ?, ?, ?, ?, ?, FALSE)")) {
            bindId(insert, table, event);
            insert.setString(5, ddl.action().name());
            insert.setString(6, JSON.writeValueAsString(ddl.renamed()));
            insert.setString(7, ddl.statement());
            insert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void markDone(Connection connection, SyncTable table, ChangeEvent event)
            throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE "
                                + ControlTables.SCHEMA_CHANGES
                                + " SET done = TRUE, changed_at = CURRENT_TIMESTAMP(3)"
                                + THE_STATEMENT)) {
            bindId(update, table, event);
            update.executeUpdate();
        }
    }

    private static void bindId(PreparedStatement statement, SyncTable table, ChangeEvent event)
            throws SQLException {
        statement.setString(1, table.qualifiedName());
        statement.setString(2, event.sourceId);
        statement.setLong(3, event.version.fileIndex);
        statement.setLong(4, event.version.position);
    }
}
