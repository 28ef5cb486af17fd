package io.shardsync.jdbc;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * What a database error means for the one who sent the statement: reject the row, retry, or fail.
 */
public final class SqlErrors {
    private static final Set<Integer> DATA_ERRORS = Set.of(1265, 1366, 3819);

    private SqlErrors() {}

    /**
     * Whether the server refused a row for its data: SQL states of class 22 (data exception) and 23
     * (integrity constraint violation), and the MySQL data errors that carry another state: strict
     * mode raises "Data truncated" (1265) with the warning state 01000, which the MariaDB driver
     * reports as a transient connection error, and "Incorrect value" (1366) and MySQL's CHECK
     * violation (3819) come as HY000. Without them such a row would be retried forever instead of
     * reported.
     */
    public static boolean isRejection(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return state.startsWith("22")
                || state.startsWith("23")
                || DATA_ERRORS.contains(e.getErrorCode());
    }

    /** Whether a failure is worth retrying: a lost connection, a deadlock, a lock wait. */
    public static boolean isTransient(SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        return !isRejection(e)
                && (e instanceof SQLTransientException
                        || e instanceof SQLRecoverableException
                        || state.startsWith("08")
                        || state.equals("40001")
                        || e.getErrorCode() == 1205 // lock wait timeout
                        || e.getErrorCode() == 1213); // deadlock
    }
}
