package io.shardsync.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes a random mix of changes to {@code <db>.orders(id, user_id, note, amount, version,
 * updated_at)} on the source: inserts, updates, deletes, shard-key moves and primary-key changes,
 * some of them several to one row in one transaction. Every change bumps the row's version.
 */
public final class ChangeGenerator implements AutoCloseable {
    public static final String ORDERS_DDL =
            "CREATE TABLE %s.orders (id BIGINT PRIMARY KEY, user_id BIGINT NOT NULL,"
                    + " note VARCHAR(200) CHARACTER SET utf8mb4, amount DECIMAL(12,2), version BIGINT NOT NULL,"
                    + " updated_at DATETIME(6))";

    private final String database;
    private final Random random = new Random(7);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong changes = new AtomicLong();
    private final Thread thread;
    private long nextId;
    private volatile Throwable failure;

    private ChangeGenerator(String database, long firstNewId, int pauseMs) {
        this.database = database;
        this.nextId = firstNewId;
        this.thread = new Thread(() -> loop(pauseMs), "change-generator");
    }

    /** Creates the orders table with {@code rows} rows (ids 1..rows). */
    public static void createOrders(String database, int rows) throws Exception {
        MariaDb.execute(
                MariaDb.SOURCE_PORT,
                String.format(ORDERS_DDL, database),
                "USE " + database,
                "INSERT INTO "
                        + database
                        + ".orders SELECT seq, seq % 97, CONCAT('order ', seq, ' 😀'), seq / 7,"
                        + " 1, '2024-01-01 00:00:00.123456' FROM seq_1_to_"
                        + rows);
    }

    /** The orders table as the job shards it: user_id % 2 over the two local shards. */
    public static ShardedTable shardedOrders(String database) {
        return shardedOrders(database, MariaDb.SHARD_PORTS);
    }

    /** The orders table sharded by user_id % n over the n shards on {@code shardPorts}. */
    public static ShardedTable shardedOrders(String database, List<Integer> shardPorts) {
        return new ShardedTable(
                database,
                "orders",
                "id",
                shardPorts,
                row -> Integer.parseInt(ShardedTable.text(row, "user_id")) % shardPorts.size());
    }

    /**
     * The orders table by {@code user_id} over the shards, by {@code id % tables} over the tables
     * of each.
     */
    public static ShardedTable splitOrders(String db, List<Integer> ports, int tables) {
        List<ShardedTable.Place> places = new ArrayList<>();
        for (int shard = 0; shard < ports.size(); shard++) {
            for (int table = 0; table < tables; table++) {
                places.add(
                        new ShardedTable.Place(
                                ports.get(shard), db + "_" + shard + ".orders_" + table));
            }
        }
        return ShardedTable.spread(
                db,
                "orders",
                "id",
                places,
                row ->
                        Integer.parseInt(ShardedTable.text(row, "user_id")) % ports.size() * tables
                                + (int) (Long.parseLong(ShardedTable.text(row, "id")) % tables));
    }

    /** The orders table by ranges of {@code user_id} ({@code bounds}) over the shards. */
    public static ShardedTable rangedOrders(String db, List<Integer> ports, int... bounds) {
        List<ShardedTable.Place> places =
                ports.stream().map(port -> new ShardedTable.Place(port, db + ".orders")).toList();
        return ShardedTable.spread(
                db,
                "orders",
                "id",
                places,
                row -> {
                    int user = Integer.parseInt(ShardedTable.text(row, "user_id"));
                    return (int) Arrays.stream(bounds).filter(bound -> user >= bound).count();
                });
    }

    /** The orders entry of a job config's table list. */
    public static String ordersConfig(String database) {
        return "  - database: "
                + database
                + "\n    table: orders\n    shardKey: user_id\n    versionColumn: version\n";
    }

    public static ChangeGenerator start(String database, long firstNewId, int pauseMs) {
        ChangeGenerator generator = new ChangeGenerator(database, firstNewId, pauseMs);
        generator.thread.start();
        return generator;
    }

    public long changes() {
        return changes.get();
    }

    private void loop(int pauseMs) {
        try (Connection c = MariaDb.admin(MariaDb.SOURCE_PORT)) {
            c.setAutoCommit(false);
            while (running.get()) {
                int ops = 1 + random.nextInt(3);
                try {
                    for (int i = 0; i < ops; i++) {
                        change(c);
                    }
                    c.commit();
                } catch (SQLTransactionRollbackException deadlock) {
                    c.rollback(); // with a test's own statements: the next transaction goes on
                    continue;
                }
                changes.addAndGet(ops);
                if (pauseMs > 0) {
                    Thread.sleep(pauseMs);
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void change(Connection c) throws SQLException {
        String orders = database + ".orders";
        long id = 1 + random.nextInt((int) Math.max(1, nextId - 1));
        int kind = random.nextInt(100);
        if (kind < 25) {
            run(
                    c,
                    "INSERT INTO "
                            + orders
                            + " (id, user_id, note, amount, version, updated_at)"
                            + " VALUES (?, ?, 'new ✓', 12.5, 1, NOW(6))",
                    nextId++,
                    random.nextInt(97));
        } else if (kind < 65) {
            run(
                    c,
                    "UPDATE "
                            + orders
                            + " SET note = CONCAT('upd ', ?), amount = amount + 0.01,"
                            + " version = version + 1, updated_at = NOW(6) WHERE id = ?",
                    random.nextInt(1000),
                    id);
        } else if (kind < 78) {
            run(c, "DELETE FROM " + orders + " WHERE id = ?", id);
        } else if (kind < 93) {
            run(
                    c,
                    "UPDATE "
                            + orders
                            + " SET user_id = user_id + 1 + ?, version = version + 1 WHERE id = ?",
                    random.nextInt(5),
                    id);
        } else {
            run(
                    c,
                    "UPDATE " + orders + " SET id = ?, version = version + 1 WHERE id = ?",
                    nextId++,
                    id);
        }
    }

    private static void run(Connection c, String sql, long... params) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setLong(i + 1, params[i]);
            }
            statement.executeUpdate();
        }
    }

    /** Stops the generator and rethrows what made it fail, if anything. */
    @Override
    public void close() throws Exception {
        running.set(false);
        thread.join();
        if (failure != null) {
            throw new IllegalStateException("change generator failed", failure);
        }
    }
}
