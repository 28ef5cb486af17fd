package io.shardsync.placement;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.config.ControlDatabaseConfig;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.TableRoutes;
import io.shardsync.jdbc.Connections;
import io.shardsync.jdbc.Identifiers;
import io.shardsync.source.InformationSchema;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable state of reshard workflows, in two tables of the control database: {@code
 * reshard_workflow} (one row per job: phase, placements, what the job was submitted with) and
 * {@code reshard_copy} (per table: how far the copy got), so every step resumes after a crash.
 * Placements are stored with their password references, never the passwords.
 */
public final class ReshardStore implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<ShardConfig>> SHARDS = new TypeReference<>() {};
    private static final TypeReference<List<String>> KEY = new TypeReference<>() {};

    private final Connection connection;
    private final String workflows;
    private final String copies;

    private ReshardStore(Connection connection, String database) {
        this.connection = connection;
        this.workflows = Identifiers.quote(database) + ".reshard_workflow";
        this.copies = Identifiers.quote(database) + ".reshard_copy";
    }

    /** Opens the store, creating its database and tables when missing. */
    public static ReshardStore open(ControlDatabaseConfig control) throws SQLException {
        ReshardStore store = new ReshardStore(Connections.control(control), control.database());
        try (Statement s = store.connection.createStatement()) {
            // utf8mb4 whatever the server's default: resume keys hold any key text
            s.execute(
                    "CREATE DATABASE IF NOT EXISTS "
                            + Identifiers.quote(control.database())
                            + " CHARACTER SET utf8mb4");
            s.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + store.workflows
                            + " (job VARCHAR(200) NOT NULL PRIMARY KEY, phase VARCHAR(20) NOT NULL,"
                            + " from_shards TEXT NOT NULL, to_shards TEXT NOT NULL, to_tables TEXT NULL,"
                            + " job_phase VARCHAR(20) NULL, copied_at TIMESTAMP(3) NULL,"
                            + " verified_at TIMESTAMP(3) NULL,"
                            + " updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)"
                            + " ON UPDATE CURRENT_TIMESTAMP(3)) DEFAULT CHARSET=utf8mb4");
            s.execute(
                    "CREATE TABLE IF NOT EXISTS "
                            + store.copies
                            + " (job VARCHAR(200) NOT NULL, table_name VARCHAR(200) NOT NULL,"
                            + " resume_key TEXT NULL, rows_copied BIGINT NOT NULL,"
                            + " done BOOLEAN NOT NULL, PRIMARY KEY (job, table_name))"
                            + " DEFAULT CHARSET=utf8mb4");
            if (InformationSchema.columns(store.connection, control.database(), "reshard_workflow")
                    .stream()
                    .noneMatch(c -> c.name().equals("to_tables"))) {
                // a store of a version before a reshard could change table rules
                s.execute("ALTER TABLE " + store.workflows + " ADD COLUMN to_tables TEXT NULL");
            }
        }
        return store;
    }

    /**
     * The job's workflow, if it has one; refused when it names a shard other than as the job's
     * config does ({@link ReshardWorkflow#namedBy}).
     */
    public Optional<ReshardWorkflow> load(JobConfig config) throws SQLException {
        return load(config.name(), config).map(workflow -> workflow.namedBy(config));
    }

    private synchronized Optional<ReshardWorkflow> load(String job, JobConfig config)
            throws SQLException {
        try (PreparedStatement select =
                connection.prepareStatement(
                        "SELECT phase, from_shards, to_shards, to_tables, job_phase, copied_at,"
                                + " verified_at"
                                + " FROM "
                                + workflows
                                + " WHERE job = ?")) {
            select.setString(1, job);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String jobPhase = rs.getString(5);
                List<ShardConfig> to = read(rs.getString(3), SHARDS);
                return Optional.of(
                        new ReshardWorkflow(
                                job,
                                ReshardPhase.valueOf(rs.getString(1)),
                                read(rs.getString(2), SHARDS),
                                to,
                                TableRoutes.parse(rs.getString(4), config, to.size()),
                                jobPhase == null ? null : ReshardPhase.valueOf(jobPhase),
                                instant(rs.getTimestamp(6)),
                                instant(rs.getTimestamp(7))));
            }
        }
    }

    /**
     * Stores a new workflow of its job, replacing a finished one: not yet acknowledged by the job.
     */
    public synchronized void start(ReshardWorkflow workflow) throws SQLException {
        try (PreparedStatement upsert =
                connection.prepareStatement(
                        "INSERT INTO "
                                + workflows
                                + " (job, phase, from_shards, to_shards, to_tables, job_phase,"
                                + " copied_at, verified_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?) ON"
                                + " DUPLICATE KEY UPDATE phase = VALUES(phase),"
                                + " from_shards = VALUES(from_shards), to_shards = VALUES(to_shards),"
                                + " to_tables = VALUES(to_tables), job_phase = NULL,"
                                + " copied_at = VALUES(copied_at), verified_at = VALUES(verified_at)")) {
            upsert.setString(1, workflow.job());
            upsert.setString(2, workflow.phase().name());
            upsert.setString(3, write(workflow.from()));
            upsert.setString(4, write(workflow.to()));
            upsert.setString(5, workflow.routes().json());
            upsert.setTimestamp(6, timestamp(workflow.copiedAt()));
            upsert.setTimestamp(7, timestamp(workflow.verifiedAt()));
            upsert.executeUpdate();
        }
    }

    /**
     * Stores what a step changed: the phase and when the copy and the verify were done. The phase
     * the job runs with is the job's to say ({@link #acknowledge}), so a step saving a workflow it
     * read before the job's acknowledgement does not lose it.
     */
    public synchronized void save(ReshardWorkflow workflow) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE "
                                + workflows
                                + " SET phase = ?, copied_at = ?, verified_at = ? WHERE job = ?")) {
            update.setString(1, workflow.phase().name());
            update.setTimestamp(2, timestamp(workflow.copiedAt()));
            update.setTimestamp(3, timestamp(workflow.verifiedAt()));
            update.setString(4, workflow.job());
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException(
                        "job '" + workflow.job() + "' has no reshard workflow to save");
            }
        }
    }

    /** Records that the streaming job runs with the workflow's current phase. */
    public synchronized void acknowledge(String job, ReshardPhase phase) throws SQLException {
        try (PreparedStatement update =
                connection.prepareStatement(
                        "UPDATE " + workflows + " SET job_phase = ? WHERE job = ?")) {
            update.setString(1, phase.name());
            update.setString(2, job);
            update.executeUpdate();
        }
    }

    /** How far the copy of each table got, by qualified table name. */
    public synchronized Map<String, CopyProgress> copyProgress(String job) throws SQLException {
        Map<String, CopyProgress> progress = new LinkedHashMap<>();
        try (PreparedStatement select =
                connection.prepareStatement(
                        "SELECT table_name, resume_key, rows_copied, done FROM "
                                + copies
                                + " WHERE job = ?")) {
            select.setString(1, job);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(2);
                    progress.put(
                            rs.getString(1),
                            new CopyProgress(
                                    key == null ? null : read(key, KEY),
                                    rs.getLong(3),
                                    rs.getBoolean(4)));
                }
            }
        }
        return progress;
    }

    public synchronized void saveCopyProgress(String job, String table, CopyProgress progress)
            throws SQLException {
        try (PreparedStatement upsert =
                connection.prepareStatement(
                        "INSERT INTO "
                                + copies
                                + " (job, table_name, resume_key, rows_copied, done)"
                                + " VALUES (?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE"
                                + " resume_key = VALUES(resume_key),"
                                + " rows_copied = VALUES(rows_copied), done = VALUES(done)")) {
            upsert.setString(1, job);
            upsert.setString(2, table);
            upsert.setString(3, progress.resumeKey() == null ? null : write(progress.resumeKey()));
            upsert.setLong(4, progress.rowsCopied());
            upsert.setBoolean(5, progress.done());
            upsert.executeUpdate();
        }
    }

    /** Forgets the copy progress of a job (a new reshard starts from the first key). */
    public synchronized void clearCopyProgress(String job) throws SQLException {
        try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM " + copies + " WHERE job = ?")) {
            delete.setString(1, job);
            delete.executeUpdate();
        }
    }

    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
