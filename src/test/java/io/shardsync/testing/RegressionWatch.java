package io.shardsync.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A reader of the shards, as an application would be: polls every shard's orders and records each
 * time a row is seen at an older version than it was seen before on the same shard.
 */
public final class RegressionWatch implements AutoCloseable {
    private final String database;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Map<Long, Long>> highestSeen = new ArrayList<>();
    private final List<String> regressions = new ArrayList<>();
    private final Thread thread;
    private volatile Throwable failure;
    private int polls;

    private RegressionWatch(String database) {
        this.database = database;
        MariaDb.SHARD_PORTS.forEach(port -> highestSeen.add(new HashMap<>()));
        this.thread = new Thread(this::loop, "regression-watch");
    }

    public static RegressionWatch start(String database) {
        RegressionWatch watch = new RegressionWatch(database);
        watch.thread.start();
        return watch;
    }

    private void loop() {
        try {
            List<Connection> shards = new ArrayList<>();
            for (int port : MariaDb.SHARD_PORTS) {
                shards.add(MariaDb.admin(port));
            }
            while (running.get()) {
                for (int shard = 0; shard < shards.size(); shard++) {
                    poll(shards.get(shard), highestSeen.get(shard), shard);
                }
                polls++;
                Thread.sleep(100);
            }
            for (Connection c : shards) {
                c.close();
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void poll(Connection c, Map<Long, Long> seen, int shard) throws Exception {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id, version FROM " + database + ".orders")) {
            while (rs.next()) {
                long id = rs.getLong(1);
                long version = rs.getLong(2);
                Long before = seen.put(id, Math.max(version, seen.getOrDefault(id, 0L)));
                if (before != null && version < before) {
                    regressions.add(
                            "shard " + shard + " id " + id + ": v" + before + " then v" + version);
                }
            }
        } catch (java.sql.SQLSyntaxErrorException notYetCreated) {
            // the table appears on the shard when the job starts
        }
    }

    /** Stops polling; returns the regressions seen. */
    public List<String> stop() throws Exception {
        running.set(false);
        thread.join();
        if (failure != null) {
            throw new IllegalStateException("regression watch failed", failure);
        }
        if (polls < 10) {
            throw new IllegalStateException("regression watch polled only " + polls + " times");
        }
        return regressions;
    }

    @Override
    public void close() throws Exception {
        running.set(false);
        thread.join();
    }
}
