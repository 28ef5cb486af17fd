package io.shardsync.pipeline;

import io.shardsync.Action;
import io.shardsync.CommandLine;
import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.console.StatusPoller;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * {@code --mode sync}: the streaming job. With {@code --local} it runs on an embedded MiniCluster
 * with the web UI on localhost:8081, checkpoints under .local/checkpoints and a status line on the
 * console every few seconds ({@link StatusPoller}).
 */
public class SyncAction implements Action {
    /** How often a local run prints its status line: about one checkpoint interval. */
    private static final Duration STATUS_EVERY = Duration.ofSeconds(5);

    private final CommandLine commandLine;

    public SyncAction(CommandLine commandLine) {
        this.commandLine = commandLine;
    }

    @Override
    public int run() throws Exception {
        JobConfig config = ConfigLoader.load(commandLine.required("config"));
        StreamExecutionEnvironment env = environment();
        SyncJob.build(env, config);
        if (!commandLine.flag("local")) {
            env.execute(config.name());
            return 0;
        }
        JobClient job = env.executeAsync(config.name());
        URI rest = URI.create("http://localhost:" + webPort());
        try (StatusPoller status = StatusPoller.start(rest, job.getJobID(), STATUS_EVERY)) {
            job.getJobExecutionResult().get();
        }
        return 0;
    }

    private int webPort() {
        return Integer.parseInt(commandLine.get("web-port").orElse("8081"));
    }

    private StreamExecutionEnvironment environment() {
        if (!commandLine.flag("local")) {
            return StreamExecutionEnvironment.getExecutionEnvironment();
        }
        Configuration local = new Configuration();
        local.set(RestOptions.PORT, webPort());
        local.set(
                MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL,
                Duration.ofSeconds(1)); // live numbers in the UI
        local.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                Path.of(".local", "checkpoints").toAbsolutePath().toUri().toString());
        return StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(local);
    }
}
