package io.shardsync.sink.records;

import io.shardsync.config.ControlDatabaseConfig;
import io.shardsync.jdbc.Connections;
import io.shardsync.jdbc.Identifiers;
import io.shardsync.jdbc.Retention;
import io.shardsync.jdbc.RetryingConnection;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes side-output records to their table on the control database, exactly-once: the records of a
 * checkpoint are inserted when it completes, in one transaction that also records the batch id in
 * {@code sync_commits}; a batch found there was inserted before a failure and is skipped. Records
 * and batch ids past their retention are purged now and then.
 */
public class ControlTableSink<T> implements Sink<T>, SupportsCommitter<ControlRows> {
    private final ControlDatabaseConfig control;
    private static final Logger LOG = LoggerFactory.getLogger(ControlTableSink.class);
    private static final String COMMITS = "sync_commits";

    private final RecordFormat<T> format;

    public ControlTableSink(ControlDatabaseConfig control, RecordFormat<T> format) {
        this.control = control;
        this.format = format;
    }

    /** Creates the database, its commit log and the format's table when missing. */
    public static void prepare(ControlDatabaseConfig control, List<RecordFormat<?>> formats)
            throws SQLException {
        try (Connection c = Connections.control(control);
                Statement s = c.createStatement()) {
            // utf8mb4 whatever the server's default: keys and row images hold any text
            s.execute(
                    "CREATE DATABASE IF NOT EXISTS "
                            + Identifiers.quote(control.database())
                            + " CHARACTER SET utf8mb4");
            s.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + table(control, COMMITS)
                            + " (batch_id CHAR(36) NOT NULL PRIMARY KEY,"
                            + " committed_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),"
                            + " KEY (committed_at)) DEFAULT CHARSET=utf8mb4");
            for (RecordFormat<?> format : formats) {
                s.execute(
                        "CREATE TABLE IF NOT EXISTS "
                                + table(control, format.table())
                                + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, "
                                + format.fields().stream()
                                        .map(f -> f.name() + " " + f.sqlType())
                                        .collect(Collectors.joining(", "))
                                + ", KEY ("
                                + format.timeField()
                                + ")) DEFAULT CHARSET=utf8mb4");
            }
        }
    }

    private static String table(ControlDatabaseConfig control, String name) {
        return Identifiers.quote(control.database()) + "." + Identifiers.quote(name);
    }

    @Override
    public CommittingSinkWriter<T, ControlRows> createWriter(WriterInitContext context) {
        return new CommittingSinkWriter<>() {
            private List<String> rows = new ArrayList<>();

            @Override
            public void write(T record, Context ctx) {
                rows.add(RecordJson.array(format.values(record)));
            }

            @Override
            public Collection<ControlRows> prepareCommit() {
                if (rows.isEmpty()) {
                    return List.of();
                }
                ControlRows batch = new ControlRows(UUID.randomUUID().toString(), rows);
                rows = new ArrayList<>();
                return List.of(batch);
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }

    /** Flink 1.20 calls {@link #createWriter(WriterInitContext)}; this older entry is not used. */
    @Override
    @Deprecated
    public CommittingSinkWriter<T, ControlRows> createWriter(InitContext context) {
        throw new UnsupportedOperationException("needs a WriterInitContext (Flink 1.20+)");
    }

    @Override
    public Committer<ControlRows> createCommitter(CommitterInitContext context) {
        RetryingConnection connection =
                new RetryingConnection(
                        "control", () -> Connections.control(control), Long.MAX_VALUE, e -> {});
        String insert =
                "INSERT INTO "
                        + table(control, format.table())
                        + " ("
                        + format.fields().stream()
                                .map(RecordFormat.Field::name)
                                .collect(Collectors.joining(", "))
                        + ") VALUES ("
                        + "?,".repeat(format.fields().size() - 1)
                        + "?)";
        String mark = "INSERT IGNORE INTO " + table(control, COMMITS) + " (batch_id) VALUES (?)";
        Retention retention = new Retention();
        return new Committer<>() {
            @Override
            public void commit(Collection<CommitRequest<ControlRows>> requests)
                    throws IOException, InterruptedException {
                for (CommitRequest<ControlRows> request : requests) {
                    ControlRows batch = request.getCommittable();
                    try {
                        connection.inTransaction(c -> insert(c, mark, insert, batch));
                    } catch (SQLException e) {
                        throw new IOException("writing to the control database failed", e);
                    }
                }
                if (retention.due()) {
                    try {
                        purge(connection, control, format);
                    } catch (SQLException e) {
                        // bookkeeping, not the records: a failed purge must not fail the job
                        LOG.warn("Purging {} failed; tried again later: {}", format.table(), e);
                    }
                }
            }

            @Override
            public void close() {
                connection.close();
            }
        };
    }

    /** Deletes the format's records and the batch ids past their retention. */
    static void purge(
            RetryingConnection connection, ControlDatabaseConfig control, RecordFormat<?> format)
            throws SQLException, InterruptedException {
        Retention.purge(
                connection,
                table(control, format.table()),
                Retention.millisOlderThan(format.timeField(), format.retention(control)));
        Retention.purge(
                connection,
                table(control, COMMITS),
                Retention.timestampOlderThan("committed_at", control.commitRetention()));
    }

    private static Void insert(Connection c, String mark, String insert, ControlRows batch)
            throws SQLException {
        try (PreparedStatement marked = c.prepareStatement(mark)) {
            marked.setString(1, batch.id());
            if (marked.executeUpdate() == 0) {
                return null; // inserted before a failure
            }
        }
        try (PreparedStatement rows = c.prepareStatement(insert)) {
            for (String row : batch.rows()) {
                RecordJson.bind(rows, 1, row);
                rows.addBatch();
            }
            rows.executeBatch();
        }
        return null;
    }

    @Override
    public SimpleVersionedSerializer<ControlRows> getCommittableSerializer() {
        return new ControlRows.Serializer();
    }
}
