package io.shardsync.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The real MariaDB instances of scripts/local-mariadb.sh: a source on 3307 and shards on 3308 and
 * 3309, started once per test JVM. Tests use their own databases, so they never see each other.
 */
public final class MariaDb {
    public static final int SOURCE_PORT = 3307;
    public static final List<Integer> SHARD_PORTS = List.of(3308, 3309);
    public static final Path SECRETS = Path.of(".local", "mariadb", "secrets");
    private static boolean started;

    private MariaDb() {}

    public static synchronized void start() throws IOException, InterruptedException {
        if (started) {
            return;
        }
        Process process =
                new ProcessBuilder("bash", "scripts/local-mariadb.sh", "start").inheritIO().start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("scripts/local-mariadb.sh start failed");
        }
        started = true;
    }

    public static Connection admin(int port) throws SQLException, IOException {
        String password =
                Files.readString(
                                SECRETS.resolve("shardsync_admin.password"), StandardCharsets.UTF_8)
                        .strip();
        return DriverManager.getConnection(
                "jdbc:mariadb://127.0.0.1:" + port + "/", "shardsync_admin", password);
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
        int serverIds = 6000 + ThreadLocalRandom.current().nextInt(1000) * 8;
        StringBuilder yaml = new StringBuilder();
        yaml.append("sources:\n  - host: 127.0.0.1\n    port: ").append(SOURCE_PORT).append('\n');
        yaml.append("    user: shardsync_cdc\n    password: {file: ")
                .append(SECRETS.resolve("shardsync_cdc.password"))
                .append("}\n");
        yaml.append("    serverIdRange: ")
                .append(serverIds)
                .append('-')
                .append(serverIds + 7)
                .append('\n');
        yaml.append("    splitSize: 1000\n");
        yaml.append("shards:\n");
        for (int port : SHARD_PORTS) {
            yaml.append("  - url: jdbc:mariadb://127.0.0.1:").append(port).append("/\n");
            yaml.append("    user: shardsync_writer\n    password: {file: ")
                    .append(SECRETS.resolve("shardsync_writer.password"))
                    .append("}\n");
        }
        yaml.append("tables:\n").append(tables);
        yaml.append("delivery: ").append(delivery).append('\n');
        yaml.append("parallelism: ").append(parallelism).append('\n');
        yaml.append("checkpointInterval: 1s\n");
        yaml.append("sink:\n  flushInterval: 50ms\n");
        return yaml.toString();
    }
}
