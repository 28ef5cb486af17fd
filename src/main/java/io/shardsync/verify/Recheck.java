package io.shardsync.verify;

import io.shardsync.scan.KeyScope;
import io.shardsync.scan.TableSql;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Looks again at rows that differ, after the replication lag has passed, so a verify beside the
 * running job does not report changes still on their way. While it waits it watches the source's
 * images of those rows: a copy that equals one of them is a version the source held moments ago
 * (the job is behind, and every change rewrites the whole row), not a wrong copy. A row that still
 * differs is a difference when the source left it alone, and unsettled when the source changed it
 * during every recheck (no recheck could judge it). The wait ends early once every row matches: the
 * changes on their way have landed, so a verify beside a running job waits as long as the job lags,
 * not the whole delay.
 */
final class Recheck {
    /** How often the source's images are read while waiting (a hot row's versions last longer). */
    private static final long WATCH_MS = 20;

    /** How often the rows are compared while waiting: once all match, the wait is over. */
    private static final long MATCH_MS = 100;

    /** Rows that differ for sure, and rows that kept changing. */
    record Result(List<Difference> differences, List<List<String>> unsettled) {}

    private final ChunkComparison comparison;
    private final TableSql sql;
    private final int rechecks;
    private final Duration delay;

    Recheck(ChunkComparison comparison, TableSql sql, int rechecks, Duration delay) {
        this.comparison = comparison;
        this.sql = sql;
        this.rechecks = rechecks;
        this.delay = delay;
    }

    Result run(List<Difference> differences) throws SQLException, InterruptedException {
        Set<List<String>> unsettled = new HashSet<>();
        for (int attempt = 0; !differences.isEmpty() && attempt < rechecks; attempt++) {
            KeyScope keys =
                    KeyScope.keys(
                            sql, differences.stream().map(Difference::key).distinct().toList());
            Map<List<String>, String> before = comparison.sourceFingerprints(sql, keys);
            Map<List<String>, Set<String>> seen = watchSource(keys);
            differences = comparison.differences(sql, keys);
            Map<Difference, String> copies = comparison.copyFingerprints(sql, keys, differences);
            Map<List<String>, String> after = comparison.sourceFingerprints(sql, keys);
            unsettled.clear();
            differences =
                    differences.stream().filter(d -> !isPastImage(d, copies.get(d), seen)).toList();
            for (Difference d : differences) {
                if (!Objects.equals(before.get(d.key()), after.get(d.key()))) {
                    unsettled.add(d.key());
                }
            }
        }
        return new Result(
                differences.stream().filter(d -> !unsettled.contains(d.key())).toList(),
                List.copyOf(unsettled));
    }

    /** Whether a row's copy is an image the source held while the delay passed. */
    private static boolean isPastImage(
            Difference d, String copy, Map<List<String>, Set<String>> seen) {
        return copy != null && seen.getOrDefault(d.key(), Set.of()).contains(copy);
    }

    /**
     * The images the source held of the rows while the delay passed (or until every row matched),
     * by key.
     */
    private Map<List<String>, Set<String>> watchSource(KeyScope keys)
            throws SQLException, InterruptedException {
        Map<List<String>, Set<String>> seen = new HashMap<>();
        long until = System.currentTimeMillis() + delay.toMillis();
        long compareAt = System.currentTimeMillis() + MATCH_MS;
        do {
            comparison
                    .sourceFingerprints(sql, keys)
                    .forEach(
                            (key, image) ->
                                    seen.computeIfAbsent(key, k -> new HashSet<>()).add(image));
            if (System.currentTimeMillis() >= compareAt) {
                if (comparison.differences(sql, keys).isEmpty()) {
                    return seen; // with the images of this moment
                }
                compareAt = System.currentTimeMillis() + MATCH_MS;
            }
            Thread.sleep(Math.min(WATCH_MS, delay.toMillis()));
        } while (System.currentTimeMillis() < until);
        return seen;
    }
}
