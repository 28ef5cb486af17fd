#!/usr/bin/env bash
# Local Apache Flink 1.20 standalone session cluster for ShardSync: one JobManager and one or more TaskManagers on this
# machine, run straight from the Maven artifacts (Maven Central does not serve flink-dist, so the classpath is resolved
# from the modules flink-dist is built from), with flink-conf/config.yaml as its configuration.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/local-flink.sh COMMAND [ARGS]

  start                         resolve the classpath with Maven (first start only), write the configuration, start the
                                JobManager and SHARDSYNC_FLINK_TASKMANAGERS TaskManagers in the background and wait
                                until the REST API lists their slots (idempotent: starts only what is not running)
  stop                          stop the TaskManagers, then the JobManager: SIGTERM, then SIGKILL if one has not exited
  status                        what runs, the web UI address and the REST overview; exits 0 when the JobManager runs,
                                3 when it does not
  start-taskmanager             start one more TaskManager and wait until it has registered
  kill-taskmanager [N]          kill -9 TaskManager N (default: the running one with the lowest number), for failover tests
  submit JAR [ARGS...]          run the job detached (flink run -d); prints the job id
  savepoint JOB_ID              stop the job with a savepoint (flink stop --savepointPath); prints the savepoint path
  resume SAVEPOINT JAR [ARGS...]  run the job detached from a savepoint (flink run -d -s); prints the job id
  cancel JOB_ID                 cancel the job (flink cancel)

Environment:
  SHARDSYNC_FLINK_PORT           REST API and web UI port on localhost, default 8081
  SHARDSYNC_FLINK_RPC_PORT       JobManager RPC port, default Flink's 6123
  SHARDSYNC_FLINK_TASKMANAGERS   TaskManagers that start starts, default 1
  SHARDSYNC_FLINK_DIR            classpath, conf/, log/, pid files, checkpoints/, savepoints/ and tmp/, default .local/flink
  SHARDSYNC_FLINK_CONF           the cluster configuration it copies into SHARDSYNC_FLINK_DIR/conf, default
                                 flink-conf/config.yaml
  SHARDSYNC_FLINK_VERSION        Flink version, default 1.20.1
  SHARDSYNC_FLINK_START_TIMEOUT  seconds start and start-taskmanager wait for the REST API, default 120

Logs: SHARDSYNC_FLINK_DIR/log/jobmanager.log, taskmanager-N.log (rolled on each start), *.out (stdout, warnings and
errors), client.log (the flink CLI). The web UI is http://localhost:$SHARDSYNC_FLINK_PORT.
EOF
}

repo_dir=$(cd "$(dirname "$0")/.." && pwd)
local_dir=${SHARDSYNC_FLINK_DIR:-$repo_dir/.local/flink}
mkdir -p "$local_dir"
local_dir=$(cd "$local_dir" && pwd)
port=${SHARDSYNC_FLINK_PORT:-8081}
rpc_port=${SHARDSYNC_FLINK_RPC_PORT:-6123}
taskmanagers=${SHARDSYNC_FLINK_TASKMANAGERS:-1}
source_conf=${SHARDSYNC_FLINK_CONF:-$repo_dir/flink-conf/config.yaml}
flink_version=${SHARDSYNC_FLINK_VERSION:-1.20.1}
start_timeout=${SHARDSYNC_FLINK_START_TIMEOUT:-120}
# The log4j 2 version flink-dist $flink_version ships in lib/ (flink-parent's log4j.version).
log4j_version=2.17.1
conf_dir=$local_dir/conf
log_dir=$local_dir/log
# Empty on purpose: Flink reads FLINK_LIB_DIR and FLINK_PLUGINS_DIR, but everything it needs is on the classpath.
lib_dir=$local_dir/lib
plugins_dir=$local_dir/plugins
classpath_file=$local_dir/classpath-$flink_version.txt
jm_pid_file=$local_dir/jobmanager.pid
rest_url=http://localhost:$port
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

# What flink-dist's own config.yaml sets for Java 17 (env.java.opts.all); used when the configuration sets none.
java17_opts="--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED --add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED \
--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED \
--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
--add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
--add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED \
--add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED"

# A throwaway pom whose only job is to name the cluster's runtime: the modules flink-dist bundles that ShardSync needs
# (the job jar has them `provided`), the Prometheus reporter of the configuration, and the log4j 2 jars of flink-dist's
# lib/. Not here: flink-connector-base, the connectors and the JDBC drivers, which the job jar bundles.
write_pom() {
    local artifact deps=""
    for artifact in flink-runtime flink-clients flink-runtime-web flink-streaming-java flink-statebackend-rocksdb \
        flink-metrics-prometheus flink-table-common flink-json; do
        deps+="
    <dependency><groupId>org.apache.flink</groupId><artifactId>$artifact</artifactId><version>$flink_version</version></dependency>"
    done
    for artifact in log4j-slf4j-impl log4j-api log4j-core log4j-1.2-api; do
        deps+="
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>$artifact</artifactId><version>$log4j_version</version></dependency>"
    done
    cat >"$local_dir/resolve/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by scripts/local-flink.sh to resolve the Flink cluster's classpath; not part of the build. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.shardsync</groupId>
  <artifactId>local-flink</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>$deps
  </dependencies>
</project>
EOF
}

# shellcheck source=scripts/lib/maven-classpath.sh
source "$repo_dir/scripts/lib/maven-classpath.sh"

# Runs org.apache.flink.runtime.util.bash.BashJavaUtils COMMAND against the generated configuration and prints only its
# results: the lines it prefixes with BASH_JAVA_UTILS_EXEC_RESULT:, without the prefix (what bin/config.sh does).
bash_java_utils() {
    local cmd=$1 output prefix=BASH_JAVA_UTILS_EXEC_RESULT:
    shift
    if ! output=$("$java" -Xmx128m -Dlog.file="$log_dir/bash-java-utils.log" \
        -Dlog4j.configurationFile="file:$conf_dir/log4j-cli.properties" -cp "$(cat "$classpath_file")" \
        org.apache.flink.runtime.util.bash.BashJavaUtils "$cmd" --configDir "$conf_dir" "$@" 2>&1); then
        echo "BashJavaUtils $cmd failed:" >&2
        echo "$output" | tail -30 >&2
        return 1
    fi
    if ! echo "$output" | grep -q "^$prefix"; then
        echo "BashJavaUtils $cmd printed no result:" >&2
        echo "$output" | tail -30 >&2
        return 1
    fi
    echo "$output" | sed -n "s/^$prefix//p"
}

# A key of the effective configuration, from Flink's own flattened view of it (empty when unset).
conf_value() {
    sed -n "s/^$1: //p" "$local_dir/effective-config.txt" | tail -n 1 | sed -e "s/^'//" -e "s/'$//"
}

write_config() {
    [ -f "$source_conf" ] || { echo "no Flink configuration at $source_conf" >&2; return 1; }
    mkdir -p "$conf_dir" "$log_dir" "$lib_dir" "$plugins_dir" "$local_dir/checkpoints" "$local_dir/savepoints" \
        "$local_dir/tmp"
    {
        echo "# Generated by scripts/local-flink.sh on every start from $source_conf:"
        echo "# change that file or the script, not this one. The local overrides are at the end."
        echo
        cat "$source_conf"
        cat <<EOF

# ---- local overrides (scripts/local-flink.sh) --------------------------------------------------------------------
# Flat keys after the nested ones: Flink's YAML loader lets the later key win.
# Checkpoints and savepoints of this cluster stay under $local_dir.
execution.checkpointing.dir: file://$local_dir/checkpoints
execution.checkpointing.savepoint-dir: file://$local_dir/savepoints
# RocksDB working directories, blobs and the TaskManagers' working directories too (a killed TaskManager leaves them).
io.tmp.dirs: $local_dir/tmp
# REST API and web UI (SHARDSYNC_FLINK_PORT); everything binds to loopback only, as in flink-dist's own config.yaml.
rest.port: $port
rest.bind-address: localhost
jobmanager.rpc.port: $rpc_port
jobmanager.bind-host: localhost
taskmanager.bind-host: localhost
taskmanager.host: localhost
EOF
    } >"$conf_dir/config.yaml.tmp"
    mv "$conf_dir/config.yaml.tmp" "$conf_dir/config.yaml"
    write_log4j
    # Flink's own reading of the result: fails on YAML errors, and tells the values the script uses.
    bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION -flatten >"$local_dir/effective-config.txt"
    if [ -z "$(conf_value env.java.opts.all)" ]; then
        cat >>"$conf_dir/config.yaml" <<EOF
# JVM options flink-dist's config.yaml sets for Java 17; the configuration above sets none.
env.java.opts.all: $java17_opts
EOF
        echo "env.java.opts.all: $java17_opts" >>"$local_dir/effective-config.txt"
    fi
    local key expected
    for key in rest.port execution.checkpointing.dir; do
        case $key in
            rest.port) expected=$port ;;
            execution.checkpointing.dir) expected=file://$local_dir/checkpoints ;;
        esac
        if [ "$(conf_value "$key")" != "$expected" ]; then
            echo "$conf_dir/config.yaml: Flink reads $key as '$(conf_value "$key")', expected '$expected'" >&2
            return 1
        fi
    done
}

write_log4j() {
    # The daemons: everything to a rolling file (rolled on each start, like flink-dist's log4j.properties), warnings and
    # errors also to the console, which the script sends to the .out file next to the log.
    cat >"$conf_dir/log4j.properties" <<'EOF'
# Generated by scripts/local-flink.sh: the JobManager's and TaskManagers' logging.
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = MainAppender
rootLogger.appenderRef.console.ref = ConsoleAppender

logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.kafka.name = org.apache.kafka
logger.kafka.level = INFO
logger.zookeeper.name = org.apache.zookeeper
logger.zookeeper.level = INFO
logger.shaded_zookeeper.name = org.apache.flink.shaded.zookeeper3
logger.shaded_zookeeper.level = INFO
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF

appender.main.name = MainAppender
appender.main.type = RollingFile
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.filePattern = ${sys:log.file}.%i
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type = Policies
appender.main.policies.size.type = SizeBasedTriggeringPolicy
appender.main.policies.size.size = 100MB
appender.main.policies.startup.type = OnStartupTriggeringPolicy
appender.main.strategy.type = DefaultRolloverStrategy
appender.main.strategy.max = 5

appender.console.name = ConsoleAppender
appender.console.type = CONSOLE
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.console.filter.threshold.type = ThresholdFilter
appender.console.filter.threshold.level = WARN
EOF
    # The CLI and BashJavaUtils: a file only, so that their stdout is just what they print.
    cat >"$conf_dir/log4j-cli.properties" <<'EOF'
# Generated by scripts/local-flink.sh: the flink CLI's logging (and BashJavaUtils').
monitorInterval = 30
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FileAppender

appender.file.name = FileAppender
appender.file.type = RollingFile
appender.file.append = true
appender.file.fileName = ${sys:log.file}
appender.file.filePattern = ${sys:log.file}.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 20MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
EOF
}

# The pid in $1 if that process is alive and is the Flink process ($2: main class) of this script's configuration.
live_pid() {
    local pid_file=$1 main_class=$2 pid
    [ -f "$pid_file" ] || return 1
    pid=$(cat "$pid_file")
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$main_class --configDir $conf_dir" || return 1
    echo "$pid"
}

jm_pid() { live_pid "$jm_pid_file" org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint; }

tm_pid() { live_pid "$local_dir/taskmanager-$1.pid" org.apache.flink.runtime.taskexecutor.TaskManagerRunner; }

# Numbers of the TaskManagers this script started that are alive, ascending.
running_tms() {
    local f n
    for f in "$local_dir"/taskmanager-*.pid; do
        [ -e "$f" ] || continue
        n=${f##*/taskmanager-}
        n=${n%.pid}
        if tm_pid "$n" >/dev/null; then echo "$n"; else rm -f "$f"; fi
    done | sort -n
}

# shellcheck disable=SC2016 # expanded by the inner bash
port_taken() { timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null; }

rest_get() { curl -fsS --max-time 5 "$rest_url$1" 2>/dev/null; }

# A number field of a flat JSON object such as /overview.
json_number() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }

# Starts a Flink daemon in its own session: $1 name (log file and pid file), $2 main class, then its JVM options up to
# "--", then its program arguments.
launch() {
    local name=$1 main_class=$2 pid_file=$local_dir/$1.pid
    shift 2
    local jvm=() args=()
    while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do jvm+=("$1"); shift; done
    shift
    args=("$@")
    rm -f "$pid_file"
    echo "---- $(date '+%F %T') starting $name" >>"$log_dir/$name.out"
    # shellcheck disable=SC2016 # expanded by the inner bash
    FLINK_CONF_DIR=$conf_dir FLINK_LIB_DIR=$lib_dir FLINK_PLUGINS_DIR=$plugins_dir \
        setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pid_file" \
        "$java" "${jvm[@]}" -Dlog.file="$log_dir/$name.log" \
        -Dlog4j.configuration="file:$conf_dir/log4j.properties" \
        -Dlog4j.configurationFile="file:$conf_dir/log4j.properties" \
        -cp "$(cat "$classpath_file")" "$main_class" --configDir "$conf_dir" "${args[@]}" \
        </dev/null >>"$log_dir/$name.out" 2>&1 &
    local waited=0
    while [ ! -s "$pid_file" ] && [ "$waited" -lt 50 ]; do sleep 0.1; waited=$((waited + 1)); done
}

# JVM options as bin/config.sh builds them: -XX:+IgnoreUnrecognizedVMOptions, env.java.opts.all and the role's
# env.java.opts.jobmanager / env.java.opts.taskmanager.
java_opts() {
    local all_opts role_opts
    all_opts=$(conf_value env.java.opts.all)
    role_opts=$(conf_value "env.java.opts.$1")
    # shellcheck disable=SC2086 # options are space-separated, as in bin/config.sh
    printf '%s\n' -XX:+IgnoreUnrecognizedVMOptions $all_opts $role_opts
}

# The JVM parameters (first line) and dynamic configuration (second line) BashJavaUtils computes for a role's memory.
resource_params() {
    local params
    params=$(bash_java_utils "$1") || return 1
    if [ "$(echo "$params" | wc -l)" -ne 2 ]; then
        echo "BashJavaUtils $1: expected 2 result lines (JVM parameters, dynamic configuration), got:" >&2
        echo "$params" >&2
        return 1
    fi
    echo "$params"
}

start_jobmanager() {
    local params jvm_params dynamic opts
    params=$(resource_params GET_JM_RESOURCE_PARAMS)
    jvm_params=$(echo "$params" | head -n 1)
    dynamic=$(echo "$params" | tail -n 1)
    mapfile -t opts < <(java_opts jobmanager)
    # shellcheck disable=SC2086 # BashJavaUtils' output is space-separated words, as bin/jobmanager.sh uses it
    launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint \
        $jvm_params "${opts[@]}" -- $dynamic
}

# Starts TaskManager number $1 with a resource id of its own, printed, to find it in the REST API.
start_taskmanager() {
    local n=$1 params jvm_params dynamic opts resource_id
    params=$(resource_params GET_TM_RESOURCE_PARAMS)
    jvm_params=$(echo "$params" | head -n 1)
    dynamic=$(echo "$params" | tail -n 1)
    mapfile -t opts < <(java_opts taskmanager)
    resource_id=local-tm-$n-$(date +%s)
    # shellcheck disable=SC2086 # BashJavaUtils' output is space-separated words, as bin/taskmanager.sh uses it
    launch "taskmanager-$n" org.apache.flink.runtime.taskexecutor.TaskManagerRunner \
        $jvm_params "${opts[@]}" -- $dynamic -D "taskmanager.resource-id=$resource_id"
    echo "$resource_id"
}

next_tm_number() {
    local n=1
    while tm_pid "$n" >/dev/null; do n=$((n + 1)); done
    echo "$n"
}

# Waits until the REST API lists every resource id given (TaskManagers registered with their slots).
wait_for_taskmanagers() {
    local started=$1 waited=0 id missing tms pid n
    shift
    while [ "$waited" -lt $((start_timeout * 2)) ]; do
        if ! pid=$(jm_pid); then
            echo "the JobManager exited; last lines of $log_dir/jobmanager.log and .out:" >&2
            tail -20 "$log_dir/jobmanager.log" "$log_dir/jobmanager.out" >&2 2>/dev/null || true
            return 1
        fi
        for n in "${tm_numbers[@]}"; do
            if ! tm_pid "$n" >/dev/null; then
                echo "TaskManager $n exited; last lines of $log_dir/taskmanager-$n.log and .out:" >&2
                tail -20 "$log_dir/taskmanager-$n.log" "$log_dir/taskmanager-$n.out" >&2 2>/dev/null || true
                return 1
            fi
        done
        if tms=$(rest_get /taskmanagers); then
            missing=0
            for id in "$@"; do
                echo "$tms" | grep -qF "\"id\":\"$id\"" || missing=1
            done
            if [ "$missing" -eq 0 ]; then
                echo "$(rest_get /overview | json_number taskmanagers) TaskManager(s) registered," \
                    "$(rest_get /overview | json_number slots-total) slots, after $(($(date +%s) - started))s;" \
                    "web UI $rest_url"
                return 0
            fi
        fi
        sleep 0.5
        waited=$((waited + 1))
    done
    echo "the TaskManagers did not register within ${start_timeout}s; see $log_dir" >&2
    return 1
}

prepare() {
    command -v "$java" >/dev/null 2>&1 || { echo "java not found" >&2; return 1; }
    command -v curl >/dev/null 2>&1 || { echo "curl not found: the script asks the REST API" >&2; return 1; }
    resolve_classpath "Flink $flink_version"
    write_config
}

start() {
    local pid started n ids=() running
    started=$(date +%s)
    tm_numbers=()
    if pid=$(jm_pid); then
        echo "jobmanager already running (pid $pid)"
    else
        local p
        for p in "$port" "$rpc_port"; do
            if port_taken "$p"; then
                echo "port $p is already in use by another process; set SHARDSYNC_FLINK_PORT / SHARDSYNC_FLINK_RPC_PORT" >&2
                return 1
            fi
        done
        clean_tmp
        prepare
        start_jobmanager
        echo "jobmanager starting (pid $(cat "$jm_pid_file")), log $log_dir/jobmanager.log"
    fi
    if ! classpath_complete || [ ! -f "$local_dir/effective-config.txt" ]; then prepare; fi
    running=$(running_tms | wc -l)
    [ "$running" -gt 0 ] && echo "$running taskmanager(s) already running"
    while [ "$running" -lt "$taskmanagers" ]; do
        n=$(next_tm_number)
        ids+=("$(start_taskmanager "$n")")
        tm_numbers+=("$n")
        echo "taskmanager-$n starting (pid $(cat "$local_dir/taskmanager-$n.pid")), log $log_dir/taskmanager-$n.log"
        running=$((running + 1))
    done
    if ! wait_for_taskmanagers "$started" "${ids[@]}"; then
        stop >&2
        return 1
    fi
}

start_one_taskmanager() {
    local pid started n id
    started=$(date +%s)
    pid=$(jm_pid) || { echo "the cluster is not running: scripts/local-flink.sh start" >&2; return 1; }
    [ -f "$local_dir/effective-config.txt" ] || prepare
    n=$(next_tm_number)
    id=$(start_taskmanager "$n")
    tm_numbers=("$n")
    echo "taskmanager-$n starting (pid $(cat "$local_dir/taskmanager-$n.pid")), log $log_dir/taskmanager-$n.log"
    wait_for_taskmanagers "$started" "$id"
}

kill_taskmanager() {
    local n=${1:-} pid
    [ -n "$n" ] || n=$(running_tms | head -n 1)
    if [ -z "$n" ] || ! pid=$(tm_pid "$n"); then
        echo "no running TaskManager${1:+ $1}" >&2
        return 1
    fi
    kill -KILL "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    rm -f "$local_dir/taskmanager-$n.pid"
    echo "killed taskmanager-$n (pid $pid) with SIGKILL"
}

# SIGTERM to all the pids given, SIGKILL to those still alive after 30s.
terminate() {
    local pid waited=0 alive
    kill -TERM "$@" 2>/dev/null || true
    while [ "$waited" -lt 60 ]; do
        alive=0
        for pid in "$@"; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ "$alive" -eq 0 ] && return 0
        sleep 0.5
        waited=$((waited + 1))
    done
    for pid in "$@"; do
        if kill -0 "$pid" 2>/dev/null; then
            echo "pid $pid still running 30s after SIGTERM; sending SIGKILL" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    for pid in "$@"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; done
}

# Empties tmp/ (io.tmp.dirs) once nothing runs: TaskManagers with a configured resource id keep their working directory
# (tm_<id>, RocksDB's instance directories inside) on exit, and a killed one also leaves its blobs and its extracted RPC
# jar. Nothing there outlives the cluster: checkpoints and savepoints are elsewhere.
clean_tmp() {
    [ -d "$local_dir/tmp" ] || return 0
    jm_pid >/dev/null && return 0
    [ -z "$(running_tms)" ] || return 0
    find "$local_dir/tmp" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
}

stop() {
    local n pids=() pid
    for n in $(running_tms); do pids+=("$(tm_pid "$n")"); done
    if [ "${#pids[@]}" -gt 0 ]; then
        terminate "${pids[@]}"
        echo "stopped ${#pids[@]} taskmanager(s)"
    fi
    rm -f "$local_dir"/taskmanager-*.pid
    if pid=$(jm_pid); then
        terminate "$pid"
        echo "stopped jobmanager"
    elif [ "${#pids[@]}" -eq 0 ]; then
        echo "flink not running"
    fi
    rm -f "$jm_pid_file"
    clean_tmp
}

status() {
    local pid n overview
    if ! pid=$(jm_pid); then
        echo "jobmanager stopped"
        for n in $(running_tms); do echo "taskmanager-$n running (pid $(tm_pid "$n")) without a jobmanager"; done
        return 3
    fi
    echo "jobmanager running (pid $pid), web UI $rest_url"
    for n in $(running_tms); do echo "taskmanager-$n running (pid $(tm_pid "$n"))"; done
    if overview=$(rest_get /overview); then
        echo "REST overview: $(echo "$overview" | json_number taskmanagers) taskmanager(s)," \
            "$(echo "$overview" | json_number slots-available)/$(echo "$overview" | json_number slots-total) slots free," \
            "$(echo "$overview" | json_number jobs-running) job(s) running"
    else
        echo "REST API not answering yet on $rest_url"
    fi
}

# Runs the flink CLI (CliFrontend) against this cluster; its output goes to stderr, and to stdout when $1 is -o.
flink_cli() {
    local out=$local_dir/cli.out rc=0 opts
    jm_pid >/dev/null || { echo "the cluster is not running: scripts/local-flink.sh start" >&2; return 1; }
    [ -f "$local_dir/effective-config.txt" ] || { echo "no configuration yet: scripts/local-flink.sh start" >&2; return 1; }
    mapfile -t opts < <(java_opts client)
    FLINK_CONF_DIR=$conf_dir FLINK_LIB_DIR=$lib_dir FLINK_PLUGINS_DIR=$plugins_dir \
        "$java" -Xmx512m "${opts[@]}" -Dlog.file="$log_dir/client.log" \
        -Dlog4j.configurationFile="file:$conf_dir/log4j-cli.properties" \
        -cp "$(cat "$classpath_file")" org.apache.flink.client.cli.CliFrontend "$@" >"$out" 2>&1 || rc=$?
    cat "$out" >&2
    if [ "$rc" -ne 0 ]; then
        echo "flink $1 failed (exit $rc); the client log is $log_dir/client.log" >&2
        return "$rc"
    fi
}

print_job_id() {
    local id
    id=$(grep -o 'JobID [0-9a-f]\{32\}' "$local_dir/cli.out" | tail -n 1 | cut -d' ' -f2)
    [ -n "$id" ] || { echo "no job id in the flink CLI's output" >&2; return 1; }
    echo "$id"
}

submit() {
    [ "$#" -ge 1 ] || { usage >&2; exit 2; }
    [ -f "$1" ] || { echo "no job jar at $1" >&2; return 1; }
    flink_cli run -d "$@"
    print_job_id
}

resume() {
    [ "$#" -ge 2 ] || { usage >&2; exit 2; }
    [ -f "$2" ] || { echo "no job jar at $2" >&2; return 1; }
    local savepoint=$1
    shift
    flink_cli run -d -s "$savepoint" "$@"
    print_job_id
}

savepoint() {
    [ "$#" -eq 1 ] || { usage >&2; exit 2; }
    local path rc=0
    flink_cli stop --savepointPath "file://$local_dir/savepoints" "$1" || rc=$?
    path=$(sed -n 's/^Savepoint completed\. Path: //p' "$local_dir/cli.out" | tail -n 1)
    if [ "$rc" -ne 0 ]; then
        # the job failed while stopping, after the savepoint was created: that one is consistent
        path=$(grep -o 'A savepoint has been created at: [^,]*' "$local_dir/cli.out" | tail -n 1 | cut -d' ' -f7)
        [ -n "$path" ] || return "$rc"
        echo "the job failed while stopping; its savepoint $path is consistent: resume from it" >&2
    fi
    [ -n "$path" ] || { echo "no savepoint path in the flink CLI's output" >&2; return 1; }
    echo "$path"
}

cancel() {
    [ "$#" -eq 1 ] || { usage >&2; exit 2; }
    flink_cli cancel "$1"
    echo "cancelled job $1"
}

# A running cluster keeps the REST port it was started with: the other commands ask that one.
use_running_port() {
    local running_port
    jm_pid >/dev/null && [ -f "$local_dir/effective-config.txt" ] || return 0
    running_port=$(conf_value rest.port)
    [ -n "$running_port" ] && [ "$running_port" != "$port" ] || return 0
    if [ -n "${SHARDSYNC_FLINK_PORT:-}" ]; then
        echo "note: the running cluster uses REST port $running_port, not SHARDSYNC_FLINK_PORT=$port" >&2
    fi
    port=$running_port
    rest_url=http://localhost:$port
}

tm_numbers=()
command=${1:-}
[ "$#" -gt 0 ] && shift
case "$command" in
    start | stop | status | start-taskmanager | kill-taskmanager | submit | savepoint | resume | cancel) use_running_port ;;
esac
case "$command" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    start-taskmanager) start_one_taskmanager ;;
    kill-taskmanager) kill_taskmanager "$@" ;;
    submit) submit "$@" ;;
    savepoint) savepoint "$@" ;;
    resume) resume "$@" ;;
    cancel) cancel "$@" ;;
    -h | --help) usage ;;
    *) usage >&2; exit 2 ;;
esac
