package io.shardsync.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real MariaDB instances of scripts/local-mariadb.sh: sources on 3307 and 3317, shards on 3308
 * and 3309 (and 3310, 3311 for resharding), started once per test JVM. Tests use their own
 * databases, so they never see each other.
 */
public final class MariaDb {
    public static final int SOURCE_PORT = 3307;
    public static final int SECOND_SOURCE_PORT = 3317;
    public static final List<Integer> SHARD_PORTS = List.of(3308, 3309);

    /** Two more shards, for resharding 2 → 4. */
    public static final List<Integer> NEW_SHARD_PORTS = List.of(3310, 3311);

    public static final Path SECRETS = Path.of(".local", "mariadb", "secrets");
    private static boolean started;

    private MariaDb() {}

    public static synchronized void start() throws IOException, InterruptedException {
        if (started) {
            return;
        }
        startStopped();
        started = true;
    }

    /** Starts every instance that is not running (the script leaves running ones alone). */
    public static void startStopped() throws IOException, InterruptedException {
        Process process =
                new ProcessBuilder("bash", "scripts/local-mariadb.sh", "start").inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("scripts/local-mariadb.sh start failed");
        }
    }

    /** Shuts one instance down, as an outage; {@link #startStopped()} brings it back. */
    public static void shutdown(int port) throws IOException, InterruptedException {
        try {
            execute(port, "SHUTDOWN");
        } catch (SQLException e) {
            // the server may close the connection before it answers
        }
        while (true) {
            try (Connection c = admin(port)) {
                Thread.sleep(200);
            } catch (SQLException e) {
                return;
            }
        }
    }

    public static Connection admin(int port) throws SQLException, IOException {
        return DriverManager.getConnection(
                "jdbc:mariadb://127.0.0.1:" + port + "/", "shardsync_admin", adminPassword());
    }

    /** The admin user's password, for tools run by tests. */
    public static String adminPassword() throws IOException {
        return Files.readString(SECRETS.resolve("shardsync_admin.password"), StandardCharsets.UTF_8)
                .strip();
    }

    /** A fresh database name, created on the source (the job creates it on the shards). */
    public static String createDatabase(String prefix) throws SQLException, IOException {
        String name =
                prefix + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24));
        execute(SOURCE_PORT, "CREATE DATABASE " + name);
        return name;
    }

    public static void execute(int port, String... statements) throws SQLException, IOException {
        try (Connection c = admin(port);
                Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** YAML of a job config for the local instances; {@code tables} is the YAML list body. */
    public static String config(String delivery, int parallelism, String tables) {
        return config(List.of(SOURCE_PORT), delivery, parallelism, tables);
    }

    /** The same, reading the binlogs of the sources on the given ports. */
    public static String config(
            List<Integer> sourcePorts, String delivery, int parallelism, String tables) {
        StringBuilder yaml = new StringBuilder("sources:\n");
        for (int port : sourcePorts) {
            int serverIds = 6000 + ThreadLocalRandom.current().nextInt(1000) * 8;
            yaml.append("  - host: 127.0.0.1\n    port: ").append(port).append('\n');
            yaml.append("    user: shardsync_cdc\n    password: {file: ")
                    .append(SECRETS.resolve("shardsync_cdc.password"))
                    .append("}\n");
            yaml.append("    serverIdRange: ")
                    .append(serverIds)
                    .append('-')
                    .append(serverIds + 7)
                    .append('\n');
            yaml.append("    splitSize: 1000\n");
            // a chunk of 1000 rows is read in well under a second: a stall is Flink CDC's hang
            yaml.append("    snapshotStallTimeout: 30s\n");
        }
        yaml.append(shards(SHARD_PORTS));
        yaml.append("tables:\n").append(tables);
        yaml.append("delivery: ").append(delivery).append('\n');
        yaml.append("parallelism: ").append(parallelism).append('\n');
        yaml.append("checkpointInterval: 1s\n");
        yaml.append("sink:\n  flushInterval: 50ms\n");
        return yaml.toString();
    }

    /** A {@code shards:} list of the shards on the given ports, named shard-0, shard-1, ... */
    public static String shards(List<Integer> ports) {
        StringBuilder yaml = new StringBuilder("shards:\n");
        for (int port : ports) {
            yaml.append("  - url: jdbc:mariadb://127.0.0.1:").append(port).append("/\n");
            yaml.append("    user: shardsync_writer\n    password: {file: ")
                    .append(SECRETS.resolve("shardsync_writer.password"))
                    .append("}\n");
        }
        return yaml.toString();
    }

    /** Config lines that put conflicts and latency samples into a control database of their own. */
    public static String controlDatabase(String database) {
        return "controlDatabase:\n  url: jdbc:mariadb://127.0.0.1:"
                + SHARD_PORTS.get(0)
                + "/\n  user: shardsync_writer\n  password: {file: "
                + SECRETS.resolve("shardsync_writer.password")
                + "}\n  database: "
                + database
                + "\n";
    }

    /** Rows of a query as "a|b|c" lines, in the query's order. */
    public static List<String> query(int port, String sql) throws SQLException, IOException {
        List<String> rows = new ArrayList<>();
        try (Connection c = admin(port);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i == 1 ? "" : "|").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
