package io.shardsync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransactionRollbackException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/**
 * How a shard's errors are told apart, with the states and codes MariaDB and its driver really
 * give: a row the shard refuses is a rejection (reported, never retried), a lost connection or a
 * deadlock is transient (retried), anything else fails.
 */
class SqlErrorsTest {
    private static String kind(SQLException e) {
        boolean rejection = SqlErrors.isRejection(e);
        boolean transientFailure = SqlErrors.isTransient(e);
        return rejection
                ? (transientFailure ? "both" : "rejection")
                : transientFailure ? "transient" : "fatal";
    }

    @Test
    void dataErrorsAreRejectionsWhateverStateTheyCarry() {
        // strict mode's "Data truncated" comes with the warning state, as a "transient" exception
        assertEquals(
                "rejection",
                kind(
                        new SQLTransientConnectionException(
                                "Data truncated for column 'y'", "01000", 1265)));
        assertEquals("rejection", kind(new SQLException("Incorrect integer value", "HY000", 1366)));
        assertEquals("rejection", kind(new SQLException("CONSTRAINT `c` failed", "23000", 4025)));
        assertEquals("rejection", kind(new SQLException("Data too long", "22001", 1406)));
    }

    @Test
    void lostConnectionsAndDeadlocksAreRetried() {
        assertEquals(
                "transient",
                kind(new SQLNonTransientConnectionException("Socket closed", "08000", 0)));
        assertEquals(
                "transient", kind(new SQLTransactionRollbackException("Deadlock", "40001", 1213)));
        assertEquals("transient", kind(new SQLException("Lock wait timeout", "HY000", 1205)));
        assertEquals("fatal", kind(new SQLException("Unknown column", "42S22", 1054)));
    }
}
