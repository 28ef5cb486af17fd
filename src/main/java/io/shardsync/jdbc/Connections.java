package io.shardsync.jdbc;

import io.shardsync.config.ControlDatabaseConfig;
import io.shardsync.config.Secret;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.SourceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * JDBC connections to the job's servers, each with the session every reader and writer of the job
 * relies on: temporal text in UTC (canonical values are UTC; TIMESTAMP columns must not shift), and
 * on the writable servers READ COMMITTED.
 */
public final class Connections {
    private Connections() {}

    /** The source server, as the batch tools read it and the job reads its table definitions. */
    public static Connection source(SourceConfig source) throws SQLException {
        Connection c =
                DriverManager.getConnection(
                        source.jdbcUrl() + "?connectionTimeZone=" + source.serverTimeZone(),
                        source.user(),
                        source.password().resolve());
        utc(c);
        return c;
    }

    /**
     * A shard. Writers of one shard touch disjoint rows; READ COMMITTED takes no gap locks, so
     * their multi-row statements do not deadlock on neighbouring keys.
     */
    public static Connection shard(ShardConfig shard) throws SQLException {
        return writable(shard.url(), shard.user(), shard.password());
    }

    /** The control database's server (side-output tables, reshard workflows). */
    public static Connection control(ControlDatabaseConfig control) throws SQLException {
        return writable(control.url(), control.user(), control.password());
    }

    private static Connection writable(String url, String user, Secret password)
            throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password.resolve());
        utc(c);
        c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        return c;
    }

    private static void utc(Connection c) throws SQLException {
        try (Statement statement = c.createStatement()) {
            statement.execute("SET time_zone = '+00:00'");
        }
    }
}
