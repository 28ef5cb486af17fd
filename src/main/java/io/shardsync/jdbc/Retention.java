package io.shardsync.jdbc;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Keeps the job's own bookkeeping tables from growing without bound: rows past their retention are
 * deleted at most every {@link #EVERY} (a purge scans an index; per commit it would cost more than
 * the commit), in batches of {@link #BATCH} rows, each its own transaction, so a first purge of a
 * large backlog never holds many row locks at once.
 */
public final class Retention {
    public static final Duration EVERY = Duration.ofMinutes(10);
    public static final int BATCH = 10_000;

    private long lastPurgeMs;

    /** Whether a purge is due now; when it is, the next one is due {@link #EVERY} later. */
    public boolean due() {
        long now = System.currentTimeMillis();
        if (now - lastPurgeMs < EVERY.toMillis()) {
            return false;
        }
        lastPurgeMs = now;
        return true;
    }

    /** A condition on a TIMESTAMP column the server filled: older than {@code age}. */
    public static Condition timestampOlderThan(String column, Duration age) {
        return new Condition(column + " < NOW(3) - INTERVAL ? SECOND", age.toSeconds());
    }

    /** A condition on an epoch-milliseconds column the job filled: older than {@code age}. */
    public static Condition millisOlderThan(String column, Duration age) {
        return new Condition(column + " < ?", System.currentTimeMillis() - age.toMillis());
    }

    /** A WHERE condition with one parameter. */
    public record Condition(String sql, long parameter) {}

    /** Deletes the table's rows that meet the condition; returns how many. */
    public static long purge(RetryingConnection connection, String table, Condition condition)
            throws SQLException, InterruptedException {
        String delete = "DELETE FROM " + table + " WHERE " + condition.sql() + " LIMIT " + BATCH;
        long total = 0;
        int deleted;
        do {
            deleted =
                    connection.inTransaction(
                            c -> {
                                try (PreparedStatement statement = c.prepareStatement(delete)) {
                                    statement.setLong(1, condition.parameter());
                                    return statement.executeUpdate();
                                }
                            });
            total += deleted;
        } while (deleted == BATCH);
        return total;
    }
}
