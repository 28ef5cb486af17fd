# Sourced by the scripts that drive the demo job on the local standalone cluster (e2e.sh, reshard-demo.sh): timing,
# polling, the demo change generator and the job's state over the REST API. The caller sets rest (REST API URL), out
# (a directory for logs) and cds to the repository.

now() { date +%s.%N; }
since() { printf '%.1f' "$(echo "$(now) - $1" | bc)"; }
step() { echo; echo "== $*"; }
sql() { scripts/local-mariadb.sh sql "$@"; }

generator_pid=
start_changes() {
    scripts/demo-changes.sh "${1:-300}" forever >>"$out/changes.log" 2>&1 &
    generator_pid=$!
}
stop_changes() {
    [ -n "$generator_pid" ] || return 0
    kill "$generator_pid" 2>/dev/null || true
    wait "$generator_pid" 2>/dev/null || true
    generator_pid=
}

# stop_all: the change generator and the cluster (the scripts' exit trap).
stop_all() {
    stop_changes
    scripts/local-flink.sh stop >/dev/null 2>&1 || true
}

# running JOB: whether the job and every one of its tasks run (a restarting job has tasks in other states).
running() {
    curl -sf "$rest/jobs/$1" | python3 -c '
import json, sys
job = json.load(sys.stdin)
sys.exit(0 if job["state"] == "RUNNING" and all(v["status"] == "RUNNING" for v in job["vertices"]) else 1)'
}

not_running() { ! running "$1"; }

# wait_for SECONDS WHAT COMMAND...: polls COMMAND until it succeeds; the test fails after SECONDS.
wait_for() {
    local deadline=$((SECONDS + $1)) what=$2
    shift 2
    until "$@"; do
        [ $SECONDS -lt $deadline ] || { echo "timed out waiting for $what" >&2; exit 1; }
        sleep 0.2
    done
}
wait_running() { wait_for 180 "job $1 to run" running "$1"; }

# shardsync ARGS...: a batch mode of the job jar ($jar), run with the cluster's classpath.
shardsync() { java -cp "$jar:$(cat .local/flink/classpath-*.txt)" io.shardsync.ShardSync "$@"; }

# absolute_passwords CONFIG OUT: CONFIG with its .local/ password files by absolute path (the TaskManagers do not
# run in this directory).
absolute_passwords() { sed "s|{file: .local/|{file: $PWD/.local/|" "$1" >"$2"; }
