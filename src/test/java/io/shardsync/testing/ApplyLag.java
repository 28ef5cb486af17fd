package io.shardsync.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures how long changes wait to reach a shard: bumps a counter row at the source every 100 ms
 * and reads it back from a shard; the longest time a written value waited for the shard to show it
 * is the longest pause in applying changes (savepoint restarts included), plus normal latency.
 */
public final class ApplyLag implements AutoCloseable {
    public static final String DDL =
            "CREATE TABLE %s.probe (id INT PRIMARY KEY, n BIGINT NOT NULL)";

    private final String database;
    private final int shardPort;
    private final ConcurrentHashMap<Long, Long> writtenAt = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong longestMs = new AtomicLong();
    private final Thread thread;
    private volatile Throwable failure;

    private ApplyLag(String database, int shardPort) {
        this.database = database;
        this.shardPort = shardPort;
        this.thread = new Thread(this::loop, "apply-lag");
    }

    /** Creates {@code <db>.probe} at the source (sync it as a table on every shard). */
    public static void createProbe(String database) throws Exception {
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                String.format(DDL, database),
                "INSERT INTO " + database + ".probe VALUES (1, 0)");
    }

    /** The probe's entry of a job config's table list (no shard key: on every shard). */
    public static String probeConfig(String database) {
        return "  - database: " + database + "\n    table: probe\n";
    }

    public static ApplyLag start(String database, int shardPort) {
        ApplyLag lag = new ApplyLag(database, shardPort);
        lag.thread.start();
        return lag;
    }

    /** The longest wait seen so far, in ms. */
    public long longestMs() {
        return longestMs.get();
    }

    private void loop() {
        try (Connection source = MariaDb.admin(MariaDb.SOURCE_PORT);
                Connection shard = MariaDb.admin(shardPort);
                PreparedStatement bump =
                        source.prepareStatement(
                                "UPDATE " + database + ".probe SET n = ? WHERE id = 1");
                Statement read = shard.createStatement()) {
            for (long n = 1; running.get(); n++) {
                bump.setLong(1, n);
                bump.executeUpdate();
                writtenAt.put(n, System.currentTimeMillis());
                long applied = 0;
                try (ResultSet rs =
                        read.executeQuery("SELECT n FROM " + database + ".probe WHERE id = 1")) {
                    applied = rs.next() ? rs.getLong(1) : 0;
                }
                Long oldestWaiting = writtenAt.get(applied + 1);
                if (oldestWaiting != null) {
                    longestMs.accumulateAndGet(
                            System.currentTimeMillis() - oldestWaiting, Math::max);
                }
                Thread.sleep(100);
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        thread.join();
        if (failure != null) {
            throw new IllegalStateException("apply-lag probe failed", failure);
        }
    }
}
