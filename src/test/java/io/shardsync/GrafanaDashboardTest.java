package io.shardsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.shardsync.model.ConflictKind;
import io.shardsync.testing.PrometheusNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard shows the job's real metrics: every query names a metric the job registers,
 * the panels the operator needs are there, and the sidecar's ConfigMap carries the same JSON as the
 * file.
 */
class GrafanaDashboardTest {
    private static final Path DASHBOARD = Path.of("k8s", "grafana-dashboard.json");
    private static final Path CONFIG_MAP = Path.of("k8s", "grafana-dashboard-configmap.yaml");

    private final JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());

    GrafanaDashboardTest() throws Exception {}

    @Test
    void everyQueryNamesAMetricTheJobRegisters() throws Exception {
        List<String> queries = new ArrayList<>();
        dashboard.get("panels").forEach(p -> p.get("targets").forEach(t -> queries.add(expr(t))));
        dashboard
                .at("/templating/list")
                .findValues("definition")
                .forEach(d -> queries.add(d.asText()));
        assertEquals(21, queries.size(), "every query of the panels and the job variable");
        for (String query : queries) {
            assertEquals(1, PrometheusNames.assertRegistered(query), query);
        }
    }

    @Test
    void hasThePanelsAnOperatorNeeds() {
        List<String> titles = new ArrayList<>();
        dashboard.get("panels").forEach(p -> titles.add(p.get("title").asText()));
        assertEquals(
                List.of(
                        "Applied changes/s per table",
                        "Source lag",
                        "End-to-end latency p50 / p95 / p99",
                        "Conflicts by kind",
                        "Rejected changes per shard",
                        "Shard outages",
                        "Restarts and failed checkpoints",
                        "Checkpoint duration",
                        "Checkpoint size"),
                titles);
        assertTrue(expr(targets("Applied changes/s per table").get(0)).contains("sum by (table)"));
        List<JsonNode> latency = targets("End-to-end latency p50 / p95 / p99");
        for (String quantile : List.of("0.5", "0.95", "0.99")) {
            assertTrue(
                    latency.stream()
                            .anyMatch(
                                    t ->
                                            expr(t).contains(
                                                            "_table_endToEndLatencyMs{job_name=~\"$job\",quantile=\""
                                                                    + quantile
                                                                    + "\"}")),
                    quantile);
        }
        // one series per kind of conflict record, named as in sync_conflicts
        Set<String> kinds = new TreeSet<>();
        targets("Conflicts by kind").forEach(t -> kinds.add(t.get("legendFormat").asText()));
        assertEquals(
                new TreeSet<>(Arrays.stream(ConflictKind.values()).map(Enum::name).toList()),
                kinds);
    }

    @Test
    void theSidecarConfigMapEmbedsTheSameJson() throws Exception {
        JsonNode configMap = new ObjectMapper(new YAMLFactory()).readTree(CONFIG_MAP.toFile());
        assertEquals("ConfigMap", configMap.get("kind").asText());
        assertEquals("1", configMap.at("/metadata/labels/grafana_dashboard").asText());
        JsonNode data = configMap.get("data");
        assertEquals(1, data.size());
        assertEquals(Files.readString(DASHBOARD), data.get("shardsync.json").asText());
    }

    private List<JsonNode> targets(String panelTitle) {
        for (JsonNode panel : dashboard.get("panels")) {
            if (panel.get("title").asText().equals(panelTitle)) {
                List<JsonNode> targets = new ArrayList<>();
                panel.get("targets").forEach(targets::add);
                return targets;
            }
        }
        throw new AssertionError("no panel " + panelTitle);
    }

    private static String expr(JsonNode target) {
        return target.get("expr").asText();
    }
}
