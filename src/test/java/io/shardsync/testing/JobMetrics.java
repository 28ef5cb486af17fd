package io.shardsync.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;

/** A running job's metrics as the Flink REST API (and so the web UI) shows them. */
public final class JobMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final URI rest;
    private final JobID job;

    public JobMetrics(URI rest, JobID job) {
        this.rest = rest;
        this.job = job;
    }

    /**
     * The sum over all subtasks of the metric whose name ends with {@code suffix} (e.g. {@code
     * .shardsync.staleChanges}) on the vertex whose name contains {@code vertex}; -1 if none yet.
     */
    public long sum(String vertex, String suffix) throws Exception {
        String metrics = "/jobs/" + job + "/vertices/" + vertexId(vertex) + "/subtasks/metrics";
        for (String id : names(vertex)) {
            if (id.endsWith(suffix)) {
                JsonNode value =
                        get(
                                metrics
                                        + "?agg=sum&get="
                                        + URLEncoder.encode(id, StandardCharsets.UTF_8));
                return value.get(0).get("sum").asLong();
            }
        }
        return -1;
    }

    /** The names of the metrics of a vertex. */
    public List<String> names(String vertex) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode metric :
                get("/jobs/" + job + "/vertices/" + vertexId(vertex) + "/subtasks/metrics")) {
            names.add(metric.get("id").asText());
        }
        return names;
    }

    private String vertexId(String vertex) throws Exception {
        for (JsonNode v : get("/jobs/" + job).get("vertices")) {
            if (v.get("name").asText().contains(vertex)) {
                return v.get("id").asText();
            }
        }
        throw new IllegalArgumentException("no vertex named like " + vertex);
    }

    /** Polls until the metric has the expected value or the timeout passes; returns the last. */
    public long await(String vertex, String suffix, long expected, long timeoutMs)
            throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        long value = sum(vertex, suffix);
        while (value != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
            value = sum(vertex, suffix);
        }
        if (value < 0) {
            throw new AssertionError("no metric *" + suffix + " among " + names(vertex));
        }
        return value;
    }

    /**
     * Lines of the Prometheus reporter's scrape (ports 9249-9260 of flink-conf/config.yaml) that
     * start with {@code name}; empty if no reporter answers.
     */
    public static List<String> prometheus(String name) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int port = 9249; port <= 9260; port++) {
            try {
                PrometheusScrape.text(port)
                        .lines()
                        .filter(l -> l.startsWith(name))
                        .forEach(lines::add);
            } catch (IOException e) {
                // no reporter on this port
            }
        }
        return lines;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response =
                HTTP.send(
                        HttpRequest.newBuilder(rest.resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }
}
