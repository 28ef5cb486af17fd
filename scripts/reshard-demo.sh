#!/usr/bin/env bash
# Resharding the demo from 2 to 4 shards on a real standalone Flink cluster while changes flow: every step of
# --mode reshard, each savepoint restart it asks for, and a final verify of the 4-shard placement.
set -euo pipefail

usage() {
    cat <<'EOF2'
Usage: scripts/reshard-demo.sh [orders]

Starts MariaDB (sources and the four shards 3308-3311) and a Flink session cluster, builds the job jar, loads the
demo schema with ORDERS orders (default 100000) and runs jobs-config/demo.yaml while scripts/demo-changes.sh writes
300 changes/s. Then reshards to jobs-config/demo-4-shards.yaml (user_id % 2 -> user_id % 4):
  plan, start (+ savepoint restart), copy, verify, switch (+ restart), cleanup (+ restart), cleanup
and checks that `--mode verify` with the unchanged demo config (the workflow now says 4 shards) is clean.
Prints each step's output, the savepoint restart times and the total. Leaves the cluster stopped.
EOF2
}

case "${1:-}" in -h | --help) usage; exit 0 ;; esac
orders=${1:-100000}
repo_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_dir"
out=$repo_dir/.local/reshard-demo
rest=http://localhost:${SHARDSYNC_FLINK_PORT:-8081}
rm -rf "$out"
mkdir -p "$out"
source scripts/lib/cluster-job.sh
trap stop_all EXIT

# reshard STEP [EXPECTED_EXIT [ARGS...]]: one step of the workflow, shown as a user runs it; fails unless it
# exits as expected.
reshard() {
    local rc=0 step=$1 expected=${2:-0}
    shift $(($# < 2 ? $# : 2))
    echo "\$ shardsync --mode reshard --config demo.yaml --to demo-4-shards.yaml --step $step $*"
    shardsync --mode reshard --config "$out/demo.yaml" --to "$out/demo-4-shards.yaml" --step "$step" \
        --report "$out/verify-$step.json" --recheck-delay-ms 3000 "$@" || rc=$?
    [ "$rc" -eq "$expected" ] || { echo "FAILED: --step $step exited $rc" >&2; exit 1; }
}

# snapshot_synced: shard-0 holds most of its half of the orders.
snapshot_synced() {
    local rows
    rows=$(sql 3308 "SELECT COUNT(*) FROM demo.orders" 2>/dev/null | tail -1) || return 1
    [ "${rows:-0}" -gt $((orders / 3)) ]
}

pauses=()
# restart: stop the job with a savepoint and submit it again with the same config, as the steps ask.
restart() {
    local t savepoint
    t=$(now)
    savepoint=$(scripts/local-flink.sh savepoint "$job")
    job=$(scripts/local-flink.sh resume "$savepoint" "$jar" --mode sync --config "$out/demo.yaml")
    wait_running "$job"
    pauses+=("$(since "$t")")
    echo "(job restarted from a savepoint: stopped and running again in ${pauses[-1]} s)"
}

step "build, databases, cluster"
mvn -B -q package -DskipTests
jar=$out/shardsync.jar
cp target/shardsync-0.1.0-SNAPSHOT.jar "$jar"
scripts/load-demo.sh "$orders" >/dev/null
absolute_passwords jobs-config/demo.yaml "$out/demo.yaml"
absolute_passwords jobs-config/demo-4-shards.yaml "$out/demo-4-shards.yaml"
scripts/local-flink.sh start >/dev/null
job=$(scripts/local-flink.sh submit "$jar" --mode sync --config "$out/demo.yaml")
wait_running "$job"
wait_for 300 "the snapshot to reach the shards" snapshot_synced
start_changes 300
sleep 10
started=$(now)

step "reshard 2 -> 4 while 300 changes/s flow"
reshard plan
reshard start 3
restart
# the restarted job tells the workflow it runs with both placements at its first checkpoint
reshard copy 0 --wait-for-job-seconds 120
reshard verify
reshard switch 3
restart
reshard cleanup 3
restart
reshard cleanup 0 --wait-for-job-seconds 120
total=$(since "$started")
sleep 10
stop_changes

step "the result"
reshard status
for port in 3308 3309 3310 3311; do
    echo "shard on $port: $(sql "$port" "SELECT COUNT(*) FROM demo.orders" | tail -1) orders"
done
echo "source: $(sql 3307 "SELECT COUNT(*) FROM demo.orders" | tail -1) orders"
sleep 5
shardsync --mode verify --config "$out/demo.yaml" --report "$out/verify-final.json" --recheck-delay-ms 3000 |
    tail -3
scripts/local-flink.sh cancel "$job" >/dev/null
echo
echo "reshard demo passed: total ${total} s; savepoint restarts ${pauses[*]} s"
