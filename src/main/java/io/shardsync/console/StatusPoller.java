package io.shardsync.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shardsync.model.ConflictKind;
import io.shardsync.model.MetricNames;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a running job's metrics and checkpoint statistics through the Flink REST API (what the web
 * UI shows, summed over subtasks) and logs them as one {@link StatusLine} every few seconds. Local
 * runs only: on a cluster the dashboard does this job.
 */
public final class StatusPoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StatusPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String GROUP = MetricNames.GROUP + ".";
    private static final String TABLE = MetricNames.TABLE + ".";

    private final HttpClient http = HttpClient.newHttpClient();
    private final URI rest;
    private final JobID job;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread thread = new Thread(r, "shardsync-status");
                        thread.setDaemon(true); // never keeps a finished run's JVM alive
                        return thread;
                    });

    StatusPoller(URI rest, JobID job) {
        this.rest = rest;
        this.job = job;
    }

    /** Starts logging the job's status line every {@code every}. */
    public static StatusPoller start(URI rest, JobID job, Duration every) {
        StatusPoller poller = new StatusPoller(rest, job);
        poller.timer.scheduleWithFixedDelay(
                poller::logOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return poller;
    }

    private void logOnce() {
        try {
            LOG.info("{}", read().format());
        } catch (Exception e) {
            // the job may be (re)starting: its vertices or metrics are not there yet
            LOG.debug("no status yet", e);
        }
    }

    /** The job's status now. */
    StatusLine read() throws IOException, InterruptedException {
        Map<String, Double> totals = new HashMap<>();
        TreeMap<String, Long> snapshotRows = new TreeMap<>();
        double sourceLag = -1;
        for (JsonNode vertex : get("/jobs/" + job).get("vertices")) {
            for (JsonNode metric : values(vertex.get("id").asText())) {
                String id = metric.get("id").asText();
                String name = id.substring(id.indexOf(GROUP) + GROUP.length());
                if (name.startsWith(TABLE)) {
                    String table = name.substring(TABLE.length(), name.lastIndexOf('.'));
                    snapshotRows.merge(table, metric.get("sum").asLong(), Long::sum);
                } else if (name.equals(MetricNames.SOURCE_LAG)) {
                    // each merge subtask's lag; the job is as far behind as its slowest one
                    sourceLag = Math.max(sourceLag, metric.get("max").asDouble());
                } else {
                    totals.merge(name, metric.get("sum").asDouble(), Double::sum);
                }
            }
        }
        Map<ConflictKind, Long> conflicts = new EnumMap<>(ConflictKind.class);
        for (ConflictKind kind : ConflictKind.values()) {
            conflicts.put(kind, totals.getOrDefault(MetricNames.counterOf(kind), 0.0).longValue());
        }
        return new StatusLine(
                snapshotRows,
                (long) sourceLag,
                totals.getOrDefault(MetricNames.APPLIED_RATE, 0.0),
                conflicts,
                lastCheckpoint());
    }

    /** The vertex's metrics this line shows, summed and maxed over its subtasks. */
    private JsonNode values(String vertexId) throws IOException, InterruptedException {
        String path = "/jobs/" + job + "/vertices/" + vertexId + "/subtasks/metrics";
        List<String> wanted = new ArrayList<>();
        for (JsonNode metric : get(path)) {
            String id = metric.get("id").asText();
            int group = id.indexOf(GROUP);
            if (group >= 0 && shown(id.substring(group + GROUP.length()))) {
                wanted.add(id);
            }
        }
        if (wanted.isEmpty()) {
            return JSON.createArrayNode();
        }
        return get(
                path
                        + "?agg=sum,max&get="
                        + URLEncoder.encode(String.join(",", wanted), StandardCharsets.UTF_8));
    }

    private static boolean shown(String name) {
        if (name.startsWith(TABLE)) {
            return name.endsWith("." + MetricNames.SNAPSHOT_ROWS);
        }
        if (name.equals(MetricNames.SOURCE_LAG) || name.equals(MetricNames.APPLIED_RATE)) {
            return true;
        }
        for (ConflictKind kind : ConflictKind.values()) {
            if (name.equals(MetricNames.counterOf(kind))) {
                return true;
            }
        }
        return false;
    }

    private StatusLine.Checkpoint lastCheckpoint() throws IOException, InterruptedException {
        JsonNode completed = get("/jobs/" + job + "/checkpoints").at("/latest/completed");
        if (!completed.isObject()) {
            return null;
        }
        return new StatusLine.Checkpoint(
                completed.get("id").asLong(),
                System.currentTimeMillis() - completed.get("latest_ack_timestamp").asLong(),
                completed.get("end_to_end_duration").asLong(),
                completed.get("checkpointed_size").asLong());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(
                        HttpRequest.newBuilder(rest.resolve(path))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException(path + ": HTTP " + response.statusCode());
        }
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
