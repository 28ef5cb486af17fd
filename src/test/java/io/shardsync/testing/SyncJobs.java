package io.shardsync.testing;

import io.shardsync.CommandLine;
import io.shardsync.config.ConfigLoader;
import io.shardsync.config.JobConfig;
import io.shardsync.pipeline.SyncJob;
import io.shardsync.verify.VerifyAction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;

/** Submits the real sync job to the test MiniCluster. */
public final class SyncJobs {
    /** How Flink names the savepoint of a stop that failed after creating it. */
    private static final String CREATED_AT = "A savepoint has been created at: ";

    private SyncJobs() {}

    /**
     * One TaskManager with room for the job at parallelism 2 (tests kill and replace it), with the
     * metric reporters of the project's cluster config (flink-conf/config.yaml).
     */
    public static MiniClusterExtension miniCluster() {
        return miniCluster(reporters());
    }

    /**
     * The same, with the Prometheus reporter on a port of its own, so a test scrapes its own
     * cluster and not another test's on the config's shared port range.
     */
    public static MiniClusterExtension miniCluster(int prometheusPort) {
        Configuration reporters = reporters();
        reporters.setString("metrics.reporter.prom.port", String.valueOf(prometheusPort));
        return miniCluster(reporters);
    }

    /** A port nothing listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Configuration reporters() {
        Configuration reporters = new Configuration();
        GlobalConfiguration.loadConfiguration("flink-conf").toMap().entrySet().stream()
                .filter(e -> e.getKey().startsWith("metrics.reporter."))
                .forEach(e -> reporters.setString(e.getKey(), e.getValue()));
        return reporters;
    }

    private static MiniClusterExtension miniCluster(Configuration reporters) {
        return new MiniClusterExtension(
                new MiniClusterResourceConfiguration.Builder()
                        .setNumberTaskManagers(1)
                        .setNumberSlotsPerTaskManager(4)
                        .setConfiguration(reporters)
                        .build());
    }

    public static JobConfig parse(String yaml) throws Exception {
        return ConfigLoader.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    /** The job for {@link ChangeGenerator}'s orders table in one database. */
    public static JobConfig ordersJob(String delivery, int parallelism, String database)
            throws Exception {
        return parse(MariaDb.config(delivery, parallelism, ChangeGenerator.ordersConfig(database)));
    }

    /** Starts the job; {@code restoreFrom} is a retained checkpoint or savepoint path, or null. */
    public static JobClient start(JobConfig config, Path checkpoints, String restoreFrom)
            throws Exception {
        return start(config, checkpoints, restoreFrom, false);
    }

    /** The same, optionally leaving out state of operators the job no longer has. */
    public static JobClient start(
            JobConfig config, Path checkpoints, String restoreFrom, boolean allowNonRestoredState)
            throws Exception {
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.configure(conf);
        SyncJob.build(env, config);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(config.name()); // as SyncAction names it: the dashboard's job_name
        if (restoreFrom != null) {
            graph.setSavepointRestoreSettings(
                    SavepointRestoreSettings.forPath(restoreFrom, allowNonRestoredState));
        }
        return env.executeAsync(graph);
    }

    /**
     * Stops the job with a savepoint (retrying while it still deploys, as a user would wait) and
     * submits the config again from it.
     */
    public static JobClient restartFromSavepoint(
            JobClient job, JobConfig config, Path checkpoints, Path savepoints) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                String savepoint =
                        job.stopWithSavepoint(
                                        false,
                                        savepoints.toUri().toString(),
                                        SavepointFormatType.CANONICAL)
                                .get();
                return start(config, checkpoints, savepoint);
            } catch (ExecutionException e) {
                Optional<String> created = savepointOfFailedStop(e);
                if (created.isPresent()) {
                    // as Flink advises (and README "Operating"): the savepoint is consistent
                    return start(config, checkpoints, created.get());
                }
                if (attempt == 60) {
                    throw e; // the job never ran
                }
                Thread.sleep(1_000);
            }
        }
    }

    /**
     * The savepoint of a stop that created it and then failed while the job stopped (Flink CDC's
     * split enumerator can hand a split to a reader that already finished, right after a snapshot).
     */
    private static Optional<String> savepointOfFailedStop(ExecutionException e) {
        return ExceptionUtils.findThrowableWithMessage(e, CREATED_AT)
                .map(Throwable::getMessage)
                .map(
                        message ->
                                message.substring(
                                        message.indexOf(CREATED_AT) + CREATED_AT.length()))
                .map(rest -> rest.contains(", ") ? rest.substring(0, rest.indexOf(", ")) : rest);
    }

    /** The newest complete retained checkpoint of a job. */
    public static String latestCheckpoint(Path checkpoints, JobClient job) throws Exception {
        try (Stream<Path> dirs = Files.list(checkpoints.resolve(job.getJobID().toString()))) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("chk-"))
                    .filter(d -> Files.exists(d.resolve("_metadata")))
                    .max(
                            Comparator.comparingInt(
                                    d -> Integer.parseInt(d.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new IllegalStateException("no retained checkpoint"))
                    .toString();
        }
    }

    /** Cancels the job and waits until it has stopped (and with it, its checkpoint writes). */
    public static void cancel(JobClient job) throws Exception {
        job.cancel().get();
        while (!job.getJobStatus().get().isGloballyTerminalState()) {
            Thread.sleep(100);
        }
    }

    /**
     * Runs {@code --mode verify} of the config file (report in {@code dir}), with more arguments;
     * its exit code: 0 when clean.
     */
    public static int verify(Path config, Path dir, String... more) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "--config",
                                config.toString(),
                                "--report",
                                dir.resolve("report.json").toString()));
        args.addAll(List.of(more));
        return new VerifyAction(new CommandLine(args.toArray(String[]::new))).run();
    }
}
