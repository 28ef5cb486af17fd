package io.shardsync.sink;

import io.shardsync.config.ShardConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JDBC connection to a shard that runs units of work as transactions. A transient failure (lost
 * connection, deadlock, lock wait) rolls back, waits with exponential backoff and tries again, for
 * as long as it takes: the job backpressures instead of losing or reordering writes. An outage
 * longer than {@code unreachableAfter} is reported once to the listener.
 */
public final class ShardConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardConnection.class);
    private static final long MAX_BACKOFF_MS = 10_000;

    /** Work done inside one transaction. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Told once per outage that has lasted the alert threshold. */
    interface OutageListener {
        void unreachable(SQLException lastError);
    }

    private final ShardConfig shard;
    private final long unreachableAfterMs;
    private final OutageListener outages;
    private Connection connection;

    ShardConnection(ShardConfig shard, long unreachableAfterMs, OutageListener outages) {
        this.shard = shard;
        this.unreachableAfterMs = unreachableAfterMs;
        this.outages = outages;
    }

    public static Connection open(ShardConfig shard) throws SQLException {
        Connection connection =
                DriverManager.getConnection(shard.url(), shard.user(), shard.password().resolve());
        try (Statement statement = connection.createStatement()) {
            // Canonical temporal text is UTC; TIMESTAMP columns must not shift on write.
            statement.execute("SET time_zone = '+00:00'");
        }
        // Writers of one shard touch disjoint rows; READ COMMITTED takes no gap locks, so their
        // multi-row statements do not deadlock on neighbouring keys.
        connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return connection;
    }

    <T> T inTransaction(Work<T> work) throws SQLException, InterruptedException {
        long backoff = 100;
        long firstFailureMs = 0;
        boolean reported = false;
        for (int attempt = 1; ; attempt++) {
            try {
                if (connection == null) {
                    connection = open(shard);
                    connection.setAutoCommit(false);
                }
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly();
                if (!isTransient(e)) {
                    throw e;
                }
                LOG.warn(
                        "Shard {}: transient failure (attempt {}, retrying in {} ms): {}",
                        shard.name(),
                        attempt,
                        backoff,
                        e.getMessage());
                closeQuietly();
                long now = System.currentTimeMillis();
                firstFailureMs = attempt == 1 ? now : firstFailureMs;
                if (!reported && now - firstFailureMs >= unreachableAfterMs) {
                    reported = true;
                    outages.unreachable(e);
                }
                Thread.sleep(backoff);
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
            }
        }
    }

    /** Whether a failure is worth retrying: a lost connection, a deadlock, a lock wait. */
    public static boolean isTransient(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return !RejectedChanges.isRejection(e)
                && (e instanceof SQLTransientException
                        || e instanceof SQLRecoverableException
                        || state.startsWith("08")
                        || state.equals("40001")
                        || e.getErrorCode() == 1205 // lock wait timeout
                        || e.getErrorCode() == 1213); // deadlock
    }

    private void rollbackQuietly() {
        try {
            if (connection != null && !connection.isClosed()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // the connection is being replaced anyway
        }
        connection = null;
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
