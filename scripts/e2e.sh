#!/usr/bin/env bash
# End-to-end test on a real standalone Flink cluster: submit the shaded jar, TaskManager kill -9 (the job recovers by
# itself), stop with savepoint, resume the same job, then resume a changed job (its config adds a table and an
# operator) from a savepoint. After each step the verify mode must find the shards equal to the source.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/e2e.sh [orders]

Starts MariaDB (scripts/local-mariadb.sh) and a Flink session cluster (scripts/local-flink.sh), builds the job jar
(mvn package), loads the demo schema with ORDERS orders (default 20000), and runs jobs-config/demo.yaml without its
all_types table. Steps, each ending with `--mode verify` (0 missing/extra/different/wrong-shard/duplicated rows):
  1. submit; changes flow (scripts/demo-changes.sh); kill -9 the TaskManager and start a new one
  2. stop with savepoint
  3. resume the same job from it while changes flow
  4. stop with savepoint; resume a changed job from it: the config adds demo.all_types and the latency table sink
     (a new operator); its state must be kept (no re-snapshot of orders) and the new table snapshotted
Prints the measured recovery, savepoint and resume times. Leaves the cluster stopped.
EOF
}

case "${1:-}" in -h | --help) usage; exit 0 ;; esac
orders=${1:-20000}
repo_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_dir"
out=$repo_dir/.local/e2e
rest=http://localhost:${SHARDSYNC_FLINK_PORT:-8081}
rm -rf "$out"
mkdir -p "$out"
source scripts/lib/cluster-job.sh
trap stop_all EXIT

# applied JOB: the version merge's appliedChanges, summed over its subtasks.
applied() {
    curl -sf "$rest/jobs/$1" | python3 -c '
import json, sys, urllib.request
job = json.load(sys.stdin)
rest, jid = sys.argv[1], job["jid"]
vertex = next(v["id"] for v in job["vertices"] if "Version merge" in v["name"])
base = f"{rest}/jobs/{jid}/vertices/{vertex}/subtasks/metrics"
names = [m["id"] for m in json.load(urllib.request.urlopen(base)) if m["id"].endswith(".shardsync.appliedChanges")]
print(int(json.load(urllib.request.urlopen(f"{base}?agg=sum&get={names[0]}"))[0]["sum"]) if names else 0)' "$rest"
}

# check NAME CONFIG: the verify mode of the same jar, run with the cluster's classpath; must be clean.
check() {
    sleep 5 # the last checkpoint commits the last changes
    shardsync --mode verify --config "$2" \
        --report "$out/verify-$1.json" --recheck-delay-ms 3000 >"$out/verify-$1.log" 2>&1 || {
        cat "$out/verify-$1.log"
        echo "FAILED: $1: the shards differ from the source" >&2
        exit 1
    }
    echo "verify $1: $(tail -1 "$out/verify-$1.log")"
}

step "build and databases"
mvn -B -q package -DskipTests
jar=$out/shardsync.jar
cp target/shardsync-0.1.0-SNAPSHOT.jar "$jar"
scripts/load-demo.sh "$orders" >/dev/null
# v1: the demo job without all_types and without latency samples; v2 adds both. Password files by absolute path:
# the TaskManagers do not run in this directory.
python3 - "$repo_dir" "$out" <<'EOF'
import re, sys
repo, out = sys.argv[1], sys.argv[2]
demo = open(f"{repo}/jobs-config/demo.yaml").read().replace("{file: .local/", "{file: " + repo + "/.local/")
v1 = re.sub(r"  - database: demo\n    table: all_types\n(    .*\n)*", "", demo)
v1 = re.sub(r"(latency:.*\n(?:  .*\n)*?)  table: true", r"\1  table: false", v1)
assert "  table: false" in v1.split("latency:")[-1] and "all_types" not in v1.split("tables:")[1].split("delivery:")[0]
open(f"{out}/v1.yaml", "w").write(v1)
open(f"{out}/v2.yaml", "w").write(demo)
EOF
scripts/local-flink.sh start

step "1. submit, changes, kill -9 the TaskManager"
job=$(scripts/local-flink.sh submit "$jar" --mode sync --config "$out/v1.yaml")
wait_running "$job"
start_changes
sleep 15
t=$(now)
scripts/local-flink.sh kill-taskmanager
scripts/local-flink.sh start-taskmanager >/dev/null
wait_for 120 "the JobManager to notice the lost TaskManager" not_running "$job"
detected=$(since "$t")
wait_running "$job"
recovery=$(since "$t")
echo "failover noticed ${detected} s after the kill; all tasks running again after ${recovery} s"
sleep 10
stop_changes
check 1-failover "$out/v1.yaml"

step "2. stop with savepoint"
t=$(now)
savepoint=$(scripts/local-flink.sh savepoint "$job")
stop_time=$(since "$t")
echo "savepoint $savepoint in ${stop_time} s"
check 2-savepoint "$out/v1.yaml"

step "3. resume the same job"
start_changes
t=$(now)
job=$(scripts/local-flink.sh resume "$savepoint" "$jar" --mode sync --config "$out/v1.yaml")
wait_running "$job"
resume_time=$(since "$t")
echo "resumed, all tasks running in ${resume_time} s"
sleep 15
stop_changes
check 3-resumed "$out/v1.yaml"

step "4. upgrade: a changed job from a savepoint"
savepoint=$(scripts/local-flink.sh savepoint "$job")
start_changes
job=$(scripts/local-flink.sh resume "$savepoint" "$jar" --mode sync --config "$out/v2.yaml")
wait_running "$job"
sleep 15
stop_changes
reapplied=$(applied "$job")
total=$(sql 3307 "SELECT COUNT(*) FROM demo.orders" | tail -1)
echo "changes applied since the upgrade: $reapplied (the source holds $total orders)"
[ "$reapplied" -lt "$total" ] || { echo "FAILED: the upgraded job re-read the orders: state was lost" >&2; exit 1; }
check 4-upgraded "$out/v2.yaml"
samples=$(sql 3308 "SELECT COUNT(*) FROM shardsync_control.sync_latency" | tail -1)
[ "$samples" -gt 0 ] || { echo "FAILED: the added latency operator wrote nothing" >&2; exit 1; }
echo "the added operator wrote $samples latency samples"
scripts/local-flink.sh cancel "$job" >/dev/null

echo
echo "e2e passed: recovery after kill -9 ${recovery} s, stop with savepoint ${stop_time} s, resume ${resume_time} s"
