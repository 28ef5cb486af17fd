package io.shardsync.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JDBC connection to a server (a shard, the control database) that runs units of work as
 * transactions. A transient failure (lost connection, deadlock, lock wait) rolls back, waits with
 * exponential backoff and tries again, for as long as it takes: the job backpressures instead of
 * losing or reordering writes. An outage longer than {@code unreachableAfter} is reported once to
 * the listener.
 */
public final class RetryingConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingConnection.class);
    private static final long MAX_BACKOFF_MS = 10_000;

    /** Opens the connection, again after each failure. */
    public interface Opener {
        Connection open() throws SQLException;
    }

    /** Work done inside one transaction. */
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Told once per outage that has lasted the alert threshold. */
    public interface OutageListener {
        void unreachable(SQLException lastError);
    }

    private final String server;
    private final Opener opener;
    private final long unreachableAfterMs;
    private final OutageListener outages;
    private Connection connection;

    /**
     * {@code server} names it in logs; an outage longer than {@code unreachableAfterMs} is told.
     */
    public RetryingConnection(
            String server, Opener opener, long unreachableAfterMs, OutageListener outages) {
        this.server = server;
        this.opener = opener;
        this.unreachableAfterMs = unreachableAfterMs;
        this.outages = outages;
    }

    public <T> T inTransaction(Work<T> work) throws SQLException, InterruptedException {
        long backoff = 100;
        long firstFailureMs = 0;
        boolean reported = false;
        for (int attempt = 1; ; attempt++) {
            try {
                if (connection == null) {
                    connection = opener.open();
                    connection.setAutoCommit(false);
                }
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException e) {
                rollbackQuietly();
                if (!SqlErrors.isTransient(e)) {
                    throw e;
                }
                LOG.warn(
                        "{}: transient failure (attempt {}, retrying in {} ms): {}",
                        server,
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
