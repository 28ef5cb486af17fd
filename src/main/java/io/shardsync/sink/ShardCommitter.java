package io.shardsync.sink;

import io.shardsync.config.ShardConfig;
import io.shardsync.model.MetricNames;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits shard transactions when their checkpoint completes: one local database transaction that
 * records the transaction id and applies the changes. An id already recorded means the transaction
 * was committed before a failure, and it is skipped, so a restore never applies it twice.
 */
class ShardCommitter implements Committer<ShardTransaction> {
    private static final Logger LOG = LoggerFactory.getLogger(ShardCommitter.class);
    private static final long CLEANUP_EVERY_MS = Duration.ofMinutes(10).toMillis();

    private final ShardConfig shard;
    private final ShardStatements statements;
    private final ShardConnection connection;
    private final Duration commitRetention;
    private final Duration tombstoneRetention;
    private final Counter rejected;
    private long lastCleanupMs;

    ShardCommitter(
            ShardConfig shard,
            ShardStatements statements,
            Duration commitRetention,
            Duration tombstoneRetention,
            MetricGroup metrics) {
        this.shard = shard;
        this.rejected = metrics.addGroup(MetricNames.GROUP).counter(MetricNames.REJECTED);
        this.statements = statements;
        this.connection = new ShardConnection(shard);
        this.commitRetention = commitRetention;
        this.tombstoneRetention = tombstoneRetention;
    }

    @Override
    public void commit(Collection<CommitRequest<ShardTransaction>> requests)
            throws IOException, InterruptedException {
        try {
            for (CommitRequest<ShardTransaction> request : requests) {
                ShardTransaction transaction = request.getCommittable();
                boolean applied =
                        connection.inTransaction(
                                c -> {
                                    if (!markCommitted(c, transaction.id())) {
                                        return false;
                                    }
                                    rejected.inc(statements.apply(c, transaction.changes()));
                                    return true;
                                });
                if (!applied) {
                    LOG.info(
                            "Shard {}: transaction {} was committed before",
                            shard.name(),
                            transaction.id());
                    request.signalAlreadyCommitted();
                }
            }
            cleanUpIfDue();
        } catch (SQLException e) {
            throw new IOException("committing to shard " + shard.name() + " failed", e);
        }
    }

    private static boolean markCommitted(Connection c, String id) throws SQLException {
        try (PreparedStatement insert =
                c.prepareStatement(
                        "INSERT IGNORE INTO " + ControlTables.COMMITS + " (txn_id) VALUES (?)")) {
            insert.setString(1, id);
            return insert.executeUpdate() == 1;
        }
    }

    /** Forgets old transaction ids and expired tombstones, so the control tables stay small. */
    private void cleanUpIfDue() throws SQLException, InterruptedException {
        long now = System.currentTimeMillis();
        if (now - lastCleanupMs < CLEANUP_EVERY_MS) {
            return;
        }
        lastCleanupMs = now;
        connection.inTransaction(
                c -> {
                    purge(c, ControlTables.COMMITS, "committed_at", commitRetention);
                    purge(c, ControlTables.TOMBSTONES, "deleted_at", tombstoneRetention);
                    return null;
                });
    }

    private static void purge(Connection c, String table, String column, Duration age)
            throws SQLException {
        try (PreparedStatement delete =
                c.prepareStatement(
                        "DELETE FROM "
                                + table
                                + " WHERE "
                                + column
                                + " < NOW(3) - INTERVAL ? SECOND")) {
            delete.setLong(1, age.toSeconds());
            delete.executeUpdate();
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
