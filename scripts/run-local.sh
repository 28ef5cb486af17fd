#!/usr/bin/env bash
# Runs the sync job on an embedded Flink MiniCluster (web UI on localhost:8081), compiling first if needed.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/run-local.sh <config.yaml> [extra job args]

Compiles if needed (Maven profile `local`, which puts the Flink runtime on the classpath) and runs
`--mode sync --config <config.yaml> --local` in a JVM with a local MiniCluster. Ctrl-C stops the job.

  config.yaml      job config, e.g. jobs-config/demo.yaml
  extra job args   passed to the job, e.g. --web-port 8082, or another mode:
                   --mode verify [--report FILE]   --mode repair --report FILE --dry-run|--execute

Runs from the repository directory, so relative paths inside the config (password files) resolve there.
Checkpoints go to .local/checkpoints, the JVM's temporary files to .local/run-local/tmp/PID (removed by the next
run once that JVM is gone). The console shows a status line every 5 s (snapshot rows per table, binlog
lag, applied changes/s, conflicts by kind, last checkpoint), io.shardsync at INFO and everything else at WARN
except known harmless warnings; .local/run-local/job.log has everything at INFO (java.util.logging included).

Environment:
  SHARDSYNC_LOG4J_CONFIG  a log4j2 config file to use instead
  SHARDSYNC_JAVA_OPTS     JVM options, e.g. -Xmx2g
  MAVEN_ARGS_LOCAL        extra Maven options, e.g. -o for offline
EOF
}

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    "") usage >&2; exit 2 ;;
esac
repo_dir=$(cd "$(dirname "$0")/.." && pwd)
config=$1
shift
[ -f "$config" ] || { echo "no config file '$config'" >&2; exit 2; }
absolute() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
config=$(absolute "$config")
run_dir=$repo_dir/.local/run-local
mkdir -p "$run_dir"
log_config=$run_dir/log4j2.properties
if [ -n "${SHARDSYNC_LOG4J_CONFIG:-}" ]; then
    log_config=$(absolute "$SHARDSYNC_LOG4J_CONFIG")
else
    # Generated, not kept in src/main/resources: the job jar must not bring a logging config to a cluster.
    cat >"$log_config" <<EOF
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = File
rootLogger.appenderRef.console.ref = Console
rootLogger.appenderRef.console.level = WARN
appender.file.type = File
appender.file.name = File
appender.file.fileName = $run_dir/job.log
appender.file.append = false
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.console.type = Console
appender.console.name = Console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n
# Harmless third-party warnings of every local run stay in the log file only: the MySQL driver's obsolete
# serverTimezone (set by Flink CDC), no delegation tokens, no log file for the web UI, RocksDB's note on the
# MiniCluster's small managed memory, and the metric name collisions of Flink's sink committer.
appender.console.filter.noise.type = RegexFilter
appender.console.filter.noise.regex = (?s).*(serverTimezone' is set but is obsolete|No tokens obtained|Tokens update task not started|Log file environment variable 'log.file'|JobManager log files are unavailable|RocksDBStateBackend performance will be poor|Name collision: ).*
appender.console.filter.noise.onMatch = DENY
appender.console.filter.noise.onMismatch = NEUTRAL
logger.shardsync.name = io.shardsync
logger.shardsync.level = INFO
logger.shardsync.appenderRef.console.ref = Console
logger.shardsync.additivity = false
logger.shardsync.appenderRef.file.ref = File
logger.kafka.name = org.apache.flink.cdc.connectors.shaded.org.apache.kafka
logger.kafka.level = WARN
# Flink 1.20's sink committer re-registers its pendingCommittables gauge at every checkpoint (a copied
# CommittableCollector): one collision warning per checkpoint would fill the log file too.
logger.metricgroup.name = org.apache.flink.metrics.MetricGroup
logger.metricgroup.level = ERROR
EOF
fi
cd "$repo_dir"

classpath_file=$run_dir/classpath
# -Plocal puts the provided Flink runtime on the classpath. The job runs in its own JVM, not in Maven's
# (exec:java): Flink's JobMaster resolves job classes through the system class loader, which inside Maven
# does not see the project's dependencies.
echo "Compiling (log: .local/run-local/build.log)"
# shellcheck disable=SC2086  # MAVEN_ARGS_LOCAL holds separate options
if ! mvn -q -B -Plocal -DskipTests ${MAVEN_ARGS_LOCAL:-} compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$classpath_file" -Dmdep.includeScope=runtime >"$run_dir/build.log" 2>&1; then
    cat "$run_dir/build.log" >&2
    exit 1
fi
# The JVM's temporary files (Flink's RPC system jar, the MiniCluster's working directory with the RocksDB instances:
# 45-60 MB) in a directory of its own, named after its pid (exec keeps this shell's): a job stopped by Ctrl-C or a
# signal leaves them, and the directories of JVMs no longer running are removed here.
tmp_root=$run_dir/tmp
for dir in "$tmp_root"/*; do
    [ -d "$dir" ] && ! kill -0 "${dir##*/}" 2>/dev/null && rm -rf "$dir"
done
mkdir -p "$tmp_root/$$"
echo "Running ShardSync (--mode sync unless given: web UI on http://localhost:8081 or --web-port; Ctrl-C stops it)"
# shellcheck disable=SC2086  # SHARDSYNC_JAVA_OPTS holds separate options
exec java ${SHARDSYNC_JAVA_OPTS:-} -Djava.io.tmpdir="$tmp_root/$$" -Dlog4j2.configurationFile="$log_config" \
    -Djava.util.logging.manager=org.apache.logging.log4j.jul.LogManager \
    -cp "$repo_dir/target/classes:$(cat "$classpath_file")" \
    io.shardsync.ShardSync --mode sync --config "$config" --local "$@"
