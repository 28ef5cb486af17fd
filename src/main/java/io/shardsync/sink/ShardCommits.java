package io.shardsync.sink;

import io.shardsync.jdbc.Retention;
import io.shardsync.jdbc.RetryingConnection;
import io.shardsync.model.ChangeEvent;
import io.shardsync.model.Op;
import io.shardsync.model.SyncTable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits shard transactions: one local database transaction that records the transaction id and
 * applies the changes (one per part between schema changes, which cannot run inside a database
 * transaction). An id already recorded means the part was committed before a failure; it is not
 * applied again, and its outcome is read back, so what it reported is reported again.
 */
final class ShardCommits {
    private static final Logger LOG = LoggerFactory.getLogger(ShardCommits.class);

    /** When a transaction committed, and which of its changes the shard rejected. */
    record Outcome(long committedAtMs, List<Rejection> rejections) {}

    private final RetryingConnection connection;
    private final ShardStatements statements;
    private final ShardDdl schemaChanges;
    private final Duration commitRetention;
    private final Duration tombstoneRetention;
    private final Retention retention = new Retention();

    ShardCommits(
            RetryingConnection connection,
            ShardStatements statements,
            ShardDdl schemaChanges,
            Duration commitRetention,
            Duration tombstoneRetention) {
        this.connection = connection;
        this.statements = statements;
        this.schemaChanges = schemaChanges;
        this.commitRetention = commitRetention;
        this.tombstoneRetention = tombstoneRetention;
    }

    /**
     * Commits a transaction: its changes between schema changes each as one database transaction
     * (the first under the transaction's id, the others under ids derived from it), each schema
     * change applied in between ({@link ShardDdl}).
     */
    Outcome commit(ShardTransaction transaction) throws SQLException, InterruptedException {
        List<Rejection> rejections = new ArrayList<>();
        List<ChangeEvent> part = new ArrayList<>();
        int index = 0;
        for (ChangeEvent change : transaction.changes()) {
            if (change.op != Op.DDL) {
                part.add(change);
                continue;
            }
            Outcome outcome = commitPart(partId(transaction.id(), index++), part);
            rejections.addAll(outcome.rejections());
            applySchemaChange(change);
            part = new ArrayList<>();
        }
        Outcome last = commitPart(partId(transaction.id(), index), part);
        rejections.addAll(last.rejections());
        cleanUpIfDue();
        return new Outcome(last.committedAtMs(), rejections);
    }

    /** Applies a schema change to each table of it on the shard, unless it already has. */
    void applySchemaChange(ChangeEvent ddl) throws SQLException, InterruptedException {
        for (SyncTable table : statements.targetsOf(ddl.qualifiedTable())) {
            connection.inTransaction(
                    c -> {
                        schemaChanges.apply(c, table, ddl);
                        return null;
                    });
        }
    }

    private static String partId(String transactionId, int index) {
        return index == 0
                ? transactionId
                : UUID.nameUUIDFromBytes(
                                (transactionId + "/" + index).getBytes(StandardCharsets.UTF_8))
                        .toString();
    }

    private Outcome commitPart(String id, List<ChangeEvent> changes)
            throws SQLException, InterruptedException {
        if (changes.isEmpty()) {
            return new Outcome(System.currentTimeMillis(), List.of());
        }
        ShardTransaction part = new ShardTransaction(id, changes);
        Outcome outcome =
                connection.inTransaction(
                        c -> {
                            if (!markCommitted(c, id)) {
                                return new Outcome(committedAt(c, id), RejectedChanges.of(c, part));
                            }
                            return new Outcome(0, statements.apply(c, id, changes));
                        });
        return outcome.committedAtMs() != 0
                ? outcome
                : new Outcome(System.currentTimeMillis(), outcome.rejections());
    }

    private static boolean markCommitted(Connection c, String id) throws SQLException {
        try (PreparedStatement insert =
                c.prepareStatement(
                        "INSERT IGNORE INTO " + ControlTables.COMMITS + " (txn_id) VALUES (?)")) {
            insert.setString(1, id);
            return insert.executeUpdate() == 1;
        }
    }

    private static long committedAt(Connection c, String id) throws SQLException {
        try (PreparedStatement select =
                c.prepareStatement(
                        "SELECT FLOOR(UNIX_TIMESTAMP(committed_at) * 1000) FROM "
                                + ControlTables.COMMITS
                                + " WHERE txn_id = ?")) {
            select.setString(1, id);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * Forgets old transaction ids with the changes the shard rejected in them (kept as long as a
     * restore may commit the transaction again and report them again; the conflict destinations
     * keep them for good), and expired tombstones, so the control tables stay small.
     */
    void cleanUpIfDue() throws SQLException, InterruptedException {
        if (!retention.due()) {
            return;
        }
        try {
            Retention.purge(
                    connection,
                    ControlTables.COMMITS,
                    Retention.timestampOlderThan("committed_at", commitRetention));
            Retention.purge(
                    connection,
                    ControlTables.REJECTED,
                    Retention.timestampOlderThan("rejected_at", commitRetention));
            Retention.purge(
                    connection,
                    ControlTables.TOMBSTONES,
                    Retention.timestampOlderThan("deleted_at", tombstoneRetention));
        } catch (SQLException e) {
            // bookkeeping only: a purge that fails now is done by the next one
            LOG.warn(
                    "Purging the shard's bookkeeping failed; next try in a while: {}",
                    e.getMessage());
        }
    }
}
