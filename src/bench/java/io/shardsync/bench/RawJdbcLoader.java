package io.shardsync.bench;

import io.shardsync.CommandLine;
import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.config.ShardConfig;
import io.shardsync.config.SourceConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The benchmark's ceiling: what the shards accept from a plain JDBC loader that reads every order
 * at the source and writes it to its shard ({@code user_id % n}) as multi-row {@code INSERT ... ON
 * DUPLICATE KEY UPDATE} statements of the job's batch size, one writer thread per shard, autocommit.
 * Prints rows/s.
 */
public final class RawJdbcLoader {
    private static final int COLUMNS = 7;
    private static final Object[] END = new Object[0];

    private RawJdbcLoader() {}

    public static void main(String[] args) throws Exception {
        JobConfig config = ConfigLoader.load(new CommandLine(args).required("config"));
        SourceConfig source = config.singleSource();
        String table = config.tables().get(0).database() + "." + config.tables().get(0).table();
        int shards = config.shards().size();
        int batch = config.sink().batchSize();
        List<BlockingQueue<Object[]>> queues = new ArrayList<>();
        ExecutorService writers = Executors.newFixedThreadPool(shards);
        List<Future<Long>> written = new ArrayList<>();
        long start = System.nanoTime();
        for (ShardConfig shard : config.shards()) {
            BlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(batch * 4);
            queues.add(queue);
            written.add(writers.submit(() -> write(shard, table, batch, queue)));
        }
        try (Connection c =
                        DriverManager.getConnection(
                                source.jdbcUrl() + "?useCursorFetch=true&defaultFetchSize=10000",
                                source.user(),
                                source.password().resolve());
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT id, user_id, status, amount, note, version, updated_at FROM "
                                        + table)) {
            while (rs.next()) {
                Object[] row = new Object[COLUMNS];
                for (int i = 0; i < COLUMNS; i++) {
                    row[i] = rs.getString(i + 1);
                }
                queues.get((int) (rs.getLong(2) % shards)).put(row);
            }
        }
        long rows = 0;
        for (int i = 0; i < shards; i++) {
            queues.get(i).put(END);
            rows += written.get(i).get();
        }
        writers.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("raw-jdbc: %d rows in %.1f s = %.0f rows/s%n", rows, seconds, rows / seconds);
    }

    private static long write(ShardConfig shard, String table, int batch, BlockingQueue<Object[]> queue)
            throws Exception {
        long rows = 0;
        try (Connection c =
                        DriverManager.getConnection(shard.url(), shard.user(), shard.password().resolve());
                PreparedStatement full = c.prepareStatement(upsert(table, batch))) {
            List<Object[]> pending = new ArrayList<>(batch);
            for (Object[] row = queue.take(); row != END; row = queue.take()) {
                pending.add(row);
                if (pending.size() == batch) {
                    bind(full, pending).executeUpdate();
                    rows += pending.size();
                    pending.clear();
                }
            }
            if (!pending.isEmpty()) {
                try (PreparedStatement rest = c.prepareStatement(upsert(table, pending.size()))) {
                    bind(rest, pending).executeUpdate();
                }
                rows += pending.size();
            }
        }
        return rows;
    }

    private static String upsert(String table, int rows) {
        String tuple = "(?,?,?,?,?,?,?)";
        return "INSERT INTO "
                + table
                + " (id, user_id, status, amount, note, version, updated_at) VALUES "
                + tuple
                + (", " + tuple).repeat(rows - 1)
                + " ON DUPLICATE KEY UPDATE user_id = VALUES(user_id), status = VALUES(status),"
                + " amount = VALUES(amount), note = VALUES(note), version = VALUES(version),"
                + " updated_at = VALUES(updated_at)";
    }

    private static PreparedStatement bind(PreparedStatement statement, List<Object[]> rows)
            throws Exception {
        int p = 1;
        for (Object[] row : rows) {
            for (Object value : row) {
                statement.setObject(p++, value);
            }
        }
        return statement;
    }
}
