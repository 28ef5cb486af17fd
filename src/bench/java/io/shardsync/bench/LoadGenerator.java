package io.shardsync.bench;

import io.shardsync.CommandLine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.StringJoiner;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark's load: updates of random orders at a fixed rate, each bumping the version and
 * setting {@code updated_at = NOW(6)} (the fractional source time latency is measured from). Every
 * 10 ms one statement updates the rows due by then, so rates up to tens of thousands per second
 * hold on one connection.
 */
public final class LoadGenerator {
    private LoadGenerator() {}

    public static void main(String[] args) throws Exception {
        CommandLine commandLine = new CommandLine(args);
        String url = commandLine.required("url");
        long rows = Long.parseLong(commandLine.required("rows"));
        int rate = Integer.parseInt(commandLine.required("rate"));
        long seconds = Long.parseLong(commandLine.required("seconds"));
        try (Connection c =
                        DriverManager.getConnection(
                                url, commandLine.required("user"), System.getenv("BENCH_PASSWORD"));
                Statement s = c.createStatement()) {
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            long sent = 0;
            while (System.nanoTime() < end) {
                long due = (System.nanoTime() - start) * rate / 1_000_000_000L;
                if (due > sent) {
                    StringJoiner ids = new StringJoiner(",");
                    for (long i = sent; i < due; i++) {
                        ids.add(String.valueOf(1 + ThreadLocalRandom.current().nextLong(rows)));
                    }
                    sent += s.executeUpdate(
                            "UPDATE orders SET version = version + 1, updated_at = NOW(6) WHERE id IN ("
                                    + ids
                                    + ")");
                    sent = Math.max(sent, due); // ids drawn twice update once
                }
                LockSupport.parkNanos(10_000_000L);
            }
            System.out.printf("offered %d updates in %d s%n", sent, seconds);
        }
    }
}
