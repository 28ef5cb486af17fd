package io.shardsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.config.JobConfig;
import io.shardsync.testing.ChangeGenerator;
import io.shardsync.testing.MariaDb;
import io.shardsync.testing.PromQuery;
import io.shardsync.testing.PrometheusScrape;
import io.shardsync.testing.PrometheusScrape.Sample;
import io.shardsync.testing.SyncJobs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every panel of the Grafana dashboard shows data for a running job: with changes flowing, one
 * change a shard refuses and completed checkpoints, each selector of each query (and of the {@code
 * $job} variable) selects samples in a scrape of the job's Prometheus reporter, those samples carry
 * the labels the query groups by, and each panel's series have the values this run implies. Grafana
 * cannot be run here; this is the rendered-panel check instead of a screenshot.
 */
class GrafanaPanelsITCase {
    private static final int PROMETHEUS_PORT = SyncJobs.freePort();

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = SyncJobs.miniCluster(PROMETHEUS_PORT);

    private static final String JOB = "flink_jobmanager_job_";
    private static final String OPERATOR = "flink_taskmanager_job_task_operator_shardsync_";
    // operator names as the reporter writes label values, and so the legends show them: each
    // character but a letter, digit, ':' or '_' becomes '_' ("Shard sink: shard-0")
    private static final String SHARD_0 = "Shard_sink:_shard_0";
    private static final String SHARD_1 = "Shard_sink:_shard_1";
    private static final String ROUTER = "Route_to_shards__2_";

    /**
     * Series of metrics only a kafka source's message parser registers; this job reads a binlog
     * (KafkaSourceITCase counts MALFORMED_MESSAGE records).
     */
    private static final Set<String> KAFKA_SOURCE_ONLY =
            Set.of("Conflicts by kind / MALFORMED_MESSAGE");

    private final JsonNode dashboard =
            new ObjectMapper().readTree(Path.of("k8s", "grafana-dashboard.json").toFile());

    @TempDir Path checkpoints;

    GrafanaPanelsITCase() throws Exception {}

    @BeforeAll
    static void startDatabases() throws Exception {
        MariaDb.start();
    }

    @Test
    void everyPanelShowsTheRunningJob() throws Exception {
        String db = MariaDb.createDatabase("panels");
        JobConfig config = SyncJobs.ordersJob("exactly-once", 2, db);
        Scrapes scrapes = runWithOneRejectedChange(config, db);
        PrometheusScrape before = scrapes.before();
        PrometheusScrape after = scrapes.after();

        // The $job variable lists the running job, and the panels are read with it selected.
        PromQuery variable =
                PromQuery.parse(dashboard.at("/templating/list/1/query/query").asText(), Map.of());
        assertEquals(Set.of(config.name()), plot(variable, after).keySet(), variable.expr());
        Map<String, String> selected = Map.of("job", config.name());

        List<String> gaps = new ArrayList<>();
        Map<String, Map<String, Double>> now = new TreeMap<>();
        Map<String, Map<String, Double>> earlier = new TreeMap<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                String series =
                        panel.get("title").asText() + " / " + target.get("legendFormat").asText();
                PromQuery query = PromQuery.parse(target.get("expr").asText(), selected);
                if (!KAFKA_SOURCE_ONLY.contains(series)) {
                    gaps.addAll(gaps(series, query, after));
                }
                now.put(series, plot(query, after));
                earlier.put(series, plot(query, before));
            }
        }
        assertEquals(
                List.of(), gaps, "panels without data in " + after.samples().size() + " samples");

        String table = db + "_orders";
        String name = config.name();
        // Changes flow: the applied counter grew between the scrapes, so rate() is positive.
        String applied = "Applied changes/s per table / {{table}}";
        assertEquals(Set.of(table), now.get(applied).keySet());
        assertTrue(now.get(applied).get(table) > earlier.get(applied).get(table), now + "");
        assertAtLeast(0, now.get("Source lag / source lag"), name);
        assertAtLeast(0, now.get("Source lag / watermark lag"), name);
        for (String quantile : List.of("p50", "p95", "p99")) { // NaN while no change was timed
            assertAtLeast(
                    0,
                    now.get("End-to-end latency p50 / p95 / p99 / {{table}} " + quantile),
                    table);
        }
        // Conflicts by kind: the one refused change; the other kinds do not occur in a healthy
        // run, so their series are there at 0 (a flat line, not "No data").
        String conflicts = "Conflicts by kind / ";
        assertEquals(Map.of(name, 1.0), now.get(conflicts + "TARGET_REJECTED"));
        for (String kind :
                List.of(
                        "STALE_VERSION",
                        "SAME_VERSION_DIFFERENT_DATA",
                        "LATE",
                        "SHARD_UNREACHABLE",
                        "SCHEMA_CHANGE_IGNORED")) {
            assertEquals(Map.of(name, 0.0), now.get(conflicts + kind), kind);
        }
        assertEquals(
                Map.of(SHARD_0, 0.0, SHARD_1, 1.0, ROUTER, 0.0), // the router's: on no shard
                now.get("Rejected changes per shard / {{operator_name}}"));
        // Shard outages: no shard went away in this run; each shard sink's series is there at 0.
        assertEquals(
                Map.of(SHARD_0, 0.0, SHARD_1, 0.0), now.get("Shard outages / {{operator_name}}"));
        // Restarts: none in a healthy run; the series is there at 0.
        assertEquals(Map.of(name, 0.0), now.get("Restarts and failed checkpoints / restarts"));
        // Failed checkpoints: none while the job runs, so the panel's increase() is 0. The count
        // itself is not: Flink counts each checkpoint it triggered before every task was deployed
        // ("Not all required tasks are currently running"), so a start that outlasts the
        // checkpoint interval (1 s here) begins above 0.
        String failed = "Restarts and failed checkpoints / failed checkpoints";
        assertEquals(Set.of(name), now.get(failed).keySet());
        assertEquals(earlier.get(failed), now.get(failed));
        // -1 until a checkpoint completes
        assertAtLeast(0, now.get("Checkpoint duration / last checkpoint"), name);
        assertAtLeast(1, now.get("Checkpoint size / incremental"), name);
        assertAtLeast(1, now.get("Checkpoint size / full"), name);
    }

    /** Two scrapes of the job 2 s apart: a rate or increase panel compares two. */
    private record Scrapes(PrometheusScrape before, PrometheusScrape after) {}

    /**
     * Runs the job over a snapshot, changes flowing and one change a shard refuses, until two
     * checkpoints completed; scrapes it twice while the changes flow.
     */
    private Scrapes runWithOneRejectedChange(JobConfig config, String db) throws Exception {
        ChangeGenerator.createOrders(db, 300);
        for (int port : MariaDb.SHARD_PORTS) { // a shard-side CHECK makes one change a conflict
            MariaDb.execute(
                    port,
                    "CREATE DATABASE " + db,
                    String.format(ChangeGenerator.ORDERS_DDL, db),
                    "ALTER TABLE " + db + ".orders ADD CONSTRAINT small CHECK (amount < 1000)");
        }
        JobClient job = SyncJobs.start(config, checkpoints, null);
        try {
            assertEquals(List.of(), ChangeGenerator.shardedOrders(db).awaitEqual(60_000));
            try (ChangeGenerator changes = ChangeGenerator.start(db, 301, 10)) {
                // user 1 is on shard-1; the id is beyond the ids the generator changes
                MariaDb.execute(
                        MariaDb.SOURCE_PORT,
                        "INSERT INTO "
                                + db
                                + ".orders VALUES (1000000, 1, 'too big', 5000, 1, NOW(6))");
                PrometheusScrape before =
                        awaitScrape(
                                s ->
                                        s.sum(JOB + "numberOfCompletedCheckpoints") >= 2
                                                && s.sum(OPERATOR + "rejectedChanges") == 1);
                Thread.sleep(2_000);
                return new Scrapes(before, PrometheusScrape.of(PROMETHEUS_PORT));
            }
        } finally {
            SyncJobs.cancel(job);
        }
    }

    /** Scrapes until {@code ready} holds (30 s at most). */
    private static PrometheusScrape awaitScrape(Predicate<PrometheusScrape> ready)
            throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        PrometheusScrape scrape = PrometheusScrape.of(PROMETHEUS_PORT);
        while (!ready.test(scrape) && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            scrape = PrometheusScrape.of(PROMETHEUS_PORT);
        }
        assertTrue(ready.test(scrape), "no 2 checkpoints and 1 rejected change in time");
        return scrape;
    }

    /**
     * What in {@code scrape} keeps {@code series} from showing: selectors or labels without data.
     */
    private static List<String> gaps(String series, PromQuery query, PrometheusScrape scrape) {
        List<String> gaps = new ArrayList<>();
        for (PromQuery.Selector selector : query.selectors()) {
            List<Sample> samples = selector.in(scrape);
            if (samples.isEmpty()) {
                gaps.add(series + ": no sample of " + selector);
            }
            for (String label : query.groupedBy()) {
                if (samples.stream().anyMatch(s -> !s.labels().containsKey(label))) {
                    gaps.add(series + ": " + selector + " has samples without the label " + label);
                }
            }
        }
        return gaps;
    }

    /**
     * The series a panel would draw from one scrape: the selected samples' values summed by the
     * labels the query groups by. Raw values, not rates: a rate needs two scrapes.
     */
    private static Map<String, Double> plot(PromQuery query, PrometheusScrape scrape) {
        return query.selectors().stream()
                .flatMap(selector -> selector.in(scrape).stream())
                .collect(
                        Collectors.groupingBy(
                                s ->
                                        query.groupedBy().stream()
                                                .map(l -> s.labels().getOrDefault(l, ""))
                                                .collect(Collectors.joining(",")),
                                TreeMap::new,
                                Collectors.summingDouble(Sample::value)));
    }

    private static void assertAtLeast(double min, Map<String, Double> series, String key) {
        assertEquals(Set.of(key), series.keySet());
        assertTrue(series.get(key) >= min, key + ": " + series); // NaN fails too
    }
}
