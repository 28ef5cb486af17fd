package io.shardsync.sink;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits shard transactions: one local database transaction that records the transaction id and
 * applies the changes. An id already recorded means the transaction was committed before a failure;
 * it is not applied again, and its outcome is read back, so what it reported is reported again.
 */
final class ShardCommits {
    private static final Logger LOG = LoggerFactory.getLogger(ShardCommits.class);

    /** When a transaction committed, and which of its changes the shard rejected. */
    record Outcome(long committedAtMs, List<Rejection> rejections) {}

    private final ShardConnection connection;
    private final ShardStatements statements;
    private final Duration commitRetention;
    private final Duration tombstoneRetention;
    private final Retention retention = new Retention();

    ShardCommits(
            ShardConnection connection,
            ShardStatements statements,
            Duration commitRetention,
            Duration tombstoneRetention) {
        this.connection = connection;
        this.statements = statements;
        this.commitRetention = commitRetention;
        this.tombstoneRetention = tombstoneRetention;
    }

    Outcome commit(ShardTransaction transaction) throws SQLException, InterruptedException {
        Outcome outcome =
                connection.inTransaction(
                        c -> {
                            if (!markCommitted(c, transaction.id())) {
                                return new Outcome(
                                        committedAt(c, transaction.id()),
                                        RejectedChanges.of(c, transaction));
                            }
                            return new Outcome(
                                    0,
                                    statements.apply(c, transaction.id(), transaction.changes()));
                        });
        cleanUpIfDue();
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
