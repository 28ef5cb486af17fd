package io.shardsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.config.Secret;
import io.shardsync.testing.PrometheusNames;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests cannot rot: they parse, carry what the Flink Kubernetes Operator needs,
 * and their job arguments, job config, Flink keys, secrets and alert metrics are the job's real
 * ones.
 */
class K8sManifestsTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Manifests by kind and name ({@code ConfigMap/shardsync-job-config}). */
    private static final Map<String, JsonNode> BY_NAME = new HashMap<>();

    private static final List<JsonNode> DEPLOYMENTS = new ArrayList<>();

    @BeforeAll
    static void parseEveryManifest() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("k8s"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                for (JsonNode doc :
                        YAML.readerFor(JsonNode.class)
                                .<JsonNode>readValues(file.toFile())
                                .readAll()) {
                    assertTrue(doc.has("apiVersion") && doc.has("kind"), file.toString());
                    if (doc.get("kind").asText().equals("FlinkDeployment")) {
                        DEPLOYMENTS.add(doc);
                    } else {
                        BY_NAME.put(
                                doc.get("kind").asText() + "/" + doc.at("/metadata/name").asText(),
                                doc);
                    }
                }
            }
        }
        assertEquals(2, DEPLOYMENTS.size(), "the deployment and its from-savepoint variant");
    }

    @Test
    void deploymentsHaveWhatTheOperatorNeedsAndRunTheRealJob() {
        for (JsonNode deployment : DEPLOYMENTS) {
            assertEquals("flink.apache.org/v1beta1", deployment.get("apiVersion").asText());
            JsonNode spec = deployment.get("spec");
            assertEquals("v1_20", spec.get("flinkVersion").asText());
            for (String required : List.of("image", "serviceAccount", "flinkConfiguration")) {
                assertTrue(spec.hasNonNull(required), required);
            }
            assertTrue(spec.at("/jobManager/resource/memory").isTextual());
            assertTrue(spec.at("/taskManager/resource/memory").isTextual());
            JsonNode job = spec.get("job");
            assertTrue(job.get("jarURI").asText().startsWith("local:///opt/flink/usrlib/"));
            assertEquals(ShardSync.class.getName(), job.get("entryClass").asText());
            assertEquals("savepoint", job.get("upgradeMode").asText());
            List<String> args = new ArrayList<>();
            job.get("args").forEach(a -> args.add(a.asText()));
            CommandLine commandLine = new CommandLine(args.toArray(String[]::new));
            assertTrue(ShardSync.modes().contains(commandLine.required("mode")));
            assertEquals(configMountPath(spec) + "/job.yaml", commandLine.required("config"));
            JsonNode flink = spec.get("flinkConfiguration");
            assertEquals("kubernetes", flink.get("high-availability.type").asText());
            assertTrue(flink.hasNonNull("execution.checkpointing.dir"));
            assertTrue(flink.hasNonNull("execution.checkpointing.savepoint-dir"));
        }
        ObjectNode fromSavepoint = (ObjectNode) DEPLOYMENTS.get(0).deepCopy();
        ObjectNode plain = (ObjectNode) DEPLOYMENTS.get(1).deepCopy();
        for (ObjectNode d : List.of(fromSavepoint, plain)) {
            ((ObjectNode) d.at("/spec/job"))
                    .remove(List.of("initialSavepointPath", "allowNonRestoredState"));
        }
        assertEquals(plain, fromSavepoint, "the variant differs only in where it starts");
        assertTrue(
                DEPLOYMENTS.stream()
                        .anyMatch(d -> d.at("/spec/job/initialSavepointPath").isTextual()));
    }

    @Test
    void flinkKeysAreRealOptions() throws Exception {
        Set<String> known = new HashSet<>();
        for (Class<?> options :
                List.of(
                        CheckpointingOptions.class,
                        StateBackendOptions.class,
                        HighAvailabilityOptions.class,
                        RestartStrategyOptions.class,
                        TaskManagerOptions.class)) {
            for (Field field : options.getFields()) {
                if (Modifier.isStatic(field.getModifiers())
                        && field.get(null) instanceof ConfigOption<?> option) {
                    known.add(option.key());
                }
            }
        }
        for (JsonNode deployment : DEPLOYMENTS) {
            for (Iterator<String> keys = deployment.at("/spec/flinkConfiguration").fieldNames();
                    keys.hasNext(); ) {
                String key = keys.next();
                assertTrue(
                        known.contains(key) || key.matches("metrics\\.reporter\\.\\w+\\..+"),
                        "not a Flink 1.20 option: " + key);
            }
        }
    }

    @Test
    void theJobConfigIsValidAndEveryPasswordComesFromTheSecret() throws Exception {
        JsonNode configMap = BY_NAME.get("ConfigMap/shardsync-job-config");
        JobConfig config =
                ConfigLoader.load(
                        new ByteArrayInputStream(
                                configMap
                                        .at("/data/job.yaml")
                                        .asText()
                                        .getBytes(StandardCharsets.UTF_8)));
        Set<String> variables = new HashSet<>();
        config.sources().forEach(s -> variables.add(envOf(s.password())));
        config.shards().forEach(s -> variables.add(envOf(s.password())));
        if (config.controlDatabase() != null) {
            variables.add(envOf(config.controlDatabase().password()));
        }
        JsonNode secret = BY_NAME.get("Secret/shardsync-db-passwords");
        for (JsonNode deployment : DEPLOYMENTS) {
            Map<String, JsonNode> env = new HashMap<>();
            deployment
                    .at("/spec/podTemplate/spec/containers/0/env")
                    .forEach(e -> env.put(e.get("name").asText(), e));
            for (String variable : variables) {
                assertTrue(env.containsKey(variable), "the pods do not set " + variable);
                JsonNode ref = env.get(variable).at("/valueFrom/secretKeyRef");
                assertEquals(secret.at("/metadata/name").asText(), ref.get("name").asText());
                assertTrue(secret.at("/stringData").has(ref.get("key").asText()), variable);
            }
            assertEquals(
                    configMap.at("/metadata/name").asText(),
                    deployment.at("/spec/podTemplate/spec/volumes/0/configMap/name").asText());
        }
    }

    @Test
    void alertsUseTheJobsMetricNames() throws Exception {
        int names =
                PrometheusNames.assertRegistered(
                        BY_NAME.get("PrometheusRule/shardsync").toString());
        assertTrue(names >= 6, "the rules watch the job's own metrics");
    }

    private static String configMountPath(JsonNode spec) {
        return spec.at("/podTemplate/spec/containers/0/volumeMounts/0/mountPath").asText();
    }

    private static String envOf(Secret secret) {
        assertTrue(secret.env() != null, "passwords come from the Secret through env: " + secret);
        return secret.env();
    }
}
