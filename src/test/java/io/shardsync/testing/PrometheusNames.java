package io.shardsync.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shardsync.model.MetricNames;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.runtime.checkpoint.CheckpointStatsTracker;
import org.apache.flink.runtime.executiongraph.metrics.UpTimeGauge;

/**
 * Checks that the Prometheus names in a manifest (alert rules, dashboard queries) are metrics the
 * job registers, as Flink's Prometheus reporter names them: {@code flink_<scope>_<name>}, the job's
 * own under {@code flink_taskmanager_job_task_operator_shardsync_[table_]<name>}, Flink's job-level
 * ones (restarts, checkpoints) under {@code flink_jobmanager_job_<name>}.
 */
public final class PrometheusNames {
    /** A Flink metric as the Prometheus reporter names it. */
    static final Pattern NAME = Pattern.compile("flink_\\w+");

    private static final Pattern JOB_METRIC =
            Pattern.compile("flink_taskmanager_job_task_operator_shardsync_(table_)?(\\w+)");
    private static final Pattern FLINK_JOB_METRIC = Pattern.compile("flink_jobmanager_job_(\\w+)");

    private PrometheusNames() {}

    /**
     * Fails on a {@code flink_*} name in {@code text} that no metric of the job has; returns how
     * many names it checked.
     */
    public static int assertRegistered(String text) throws Exception {
        Set<String> job = constants(MetricNames.class);
        // Job-level names: restarts in Flink's MetricNames, checkpoint statistics as the tracker's
        // (package-private) constants, the job's uptime as its gauge's, so a renamed Flink metric
        // fails here, not on a dashboard.
        Set<String> flinkJob = constants(org.apache.flink.runtime.metrics.MetricNames.class);
        flinkJob.addAll(constants(CheckpointStatsTracker.class));
        flinkJob.addAll(constants(UpTimeGauge.class));
        Matcher name = NAME.matcher(text);
        int found = 0;
        while (name.find()) {
            Matcher ours = JOB_METRIC.matcher(name.group());
            Matcher flinks = FLINK_JOB_METRIC.matcher(name.group());
            assertTrue(
                    ours.matches()
                            ? job.contains(ours.group(2))
                            : flinks.matches() && flinkJob.contains(flinks.group(1)),
                    "no such metric: " + name.group());
            found++;
        }
        return found;
    }

    private static Set<String> constants(Class<?> holder) throws Exception {
        Set<String> values = new HashSet<>();
        for (Field field : holder.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
                field.setAccessible(true);
                values.add((String) field.get(null));
            }
        }
        return values;
    }
}
