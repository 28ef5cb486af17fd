#!/usr/bin/env bash
# Runs the sync job on an embedded Flink MiniCluster (web UI on localhost:8081), compiling first if needed.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/run-local.sh <config.yaml> [extra job args]

Compiles if needed and runs `--mode sync --config <config.yaml> --local` on a local MiniCluster with the Flink
runtime on the classpath (Maven profile `local`). Ctrl-C stops the job.

  config.yaml      job config, e.g. jobs-config/demo.yaml
  extra job args   passed to the job, e.g. --web-port 8082

Runs from the repository directory, so relative paths inside the config (password files) resolve there.
Checkpoints go to .local/checkpoints. Logs: io.shardsync at INFO and everything else at WARN on the console,
everything at INFO in .local/run-local/job.log.

Environment:
  SHARDSYNC_LOG4J_CONFIG  a log4j2 config file to use instead
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
log_config=$run_dir/log4j2.properties
if [ -n "${SHARDSYNC_LOG4J_CONFIG:-}" ]; then
    log_config=$(absolute "$SHARDSYNC_LOG4J_CONFIG")
else
    mkdir -p "$run_dir"
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
logger.shardsync.name = io.shardsync
logger.shardsync.level = INFO
logger.shardsync.appenderRef.console.ref = Console
logger.shardsync.additivity = false
logger.shardsync.appenderRef.file.ref = File
logger.kafka.name = org.apache.flink.cdc.connectors.shaded.org.apache.kafka
logger.kafka.level = WARN
EOF
fi
cd "$repo_dir"

# exec:java splits exec.args on spaces; quote the arguments that contain any.
job_args=""
for arg in --mode sync --config "$config" --local "$@"; do
    [[ $arg =~ [[:space:]] ]] && arg="\"$arg\""
    job_args+="${job_args:+ }$arg"
done

echo "Starting the job; web UI on http://localhost:8081 (or --web-port) once it runs; Ctrl-C stops it"
# -Plocal puts the provided Flink runtime on the classpath; the exec plugin is named by coordinates, so the
# pom needs no entry for it. exec replaces this shell, so Ctrl-C goes straight to the JVM.
# shellcheck disable=SC2086  # MAVEN_ARGS_LOCAL holds separate options
exec mvn -q -B -Plocal -DskipTests ${MAVEN_ARGS_LOCAL:-} compile \
    org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
    -Dexec.mainClass=io.shardsync.ShardSync \
    -Dexec.args="$job_args" \
    -Dexec.cleanupDaemonThreads=false \
    -Dlog4j2.configurationFile="$log_config"
