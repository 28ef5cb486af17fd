#!/usr/bin/env bash
# End-to-end latency of the demo job in both delivery modes, from its own latency samples.
set -euo pipefail

usage() {
    cat <<'EOF2'
Usage: scripts/bench-latency.sh [events-per-second] [seconds] [orders]

For each delivery mode (exactly-once, then idempotent): loads the demo schema with ORDERS orders (default
50000), runs jobs-config/demo.yaml with that delivery and every change sampled (latency.sampleEvery 1) on a
local MiniCluster, waits for the snapshot, then runs scripts/demo-changes.sh at EVENTS-PER-SECOND (default 1000)
for SECONDS (default 60) and prints p50/p95/p99/max of the samples in shardsync_control.sync_latency:
  latency = shard commit time - source commit time (the row's updated_at DATETIME(6), else the binlog second)
once over all changes and once over inserts and updates only: a delete's row image has no new updated_at, so
its source time is the binlog event's second, which adds 0-1 s.
The job and the generator are stopped at the end of each run.
EOF2
}

case "${1:-}" in -h | --help) usage; exit 0 ;; esac
rate=${1:-1000}
seconds=${2:-60}
orders=${3:-50000}
repo_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_dir"
out=.local/bench-latency
mkdir -p "$out"
sql() { scripts/local-mariadb.sh sql "$@"; }

job_pid=
cleanup() {
    [ -n "$job_pid" ] && kill "$job_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT

for delivery in exactly-once idempotent; do
    scripts/load-demo.sh "$orders" >/dev/null
    sed -e "s/^delivery: .*/delivery: $delivery/" -e "s/^  sampleEvery: .*/  sampleEvery: 1/" \
        jobs-config/demo.yaml >"$out/$delivery.yaml"
    rm -rf .local/checkpoints
    scripts/run-local.sh "$out/$delivery.yaml" >"$out/$delivery-job.out" 2>&1 &
    job_pid=$!
    total=$(sql 3307 "SELECT COUNT(*) FROM demo.orders" | tail -1)
    synced=0
    until [ "$synced" -ge "$total" ]; do
        sleep 2
        kill -0 "$job_pid" 2>/dev/null || { tail -20 "$out/$delivery-job.out"; exit 1; }
        synced=$(( $(sql 3308 "SELECT COUNT(*) FROM demo.orders" 2>/dev/null | tail -1 || echo 0) +
            $(sql 3309 "SELECT COUNT(*) FROM demo.orders" 2>/dev/null | tail -1 || echo 0) ))
    done
    sql 3308 "DELETE FROM shardsync_control.sync_latency"
    scripts/demo-changes.sh "$rate" "$seconds" >"$out/$delivery-changes.log" 2>&1
    sleep 5 # the last checkpoint commits the last samples
    kill "$job_pid"
    wait "$job_pid" 2>/dev/null || true
    job_pid=
    generated=$(tail -1 "$out/$delivery-changes.log")
    for ops in "'INSERT','UPDATE','DELETE'" "'INSERT','UPDATE'"; do
        sql 3308 "SELECT '$delivery' AS delivery, \"$ops\" AS ops, COUNT(*) AS samples,
            MAX(p50) AS p50_ms, MAX(p95) AS p95_ms, MAX(p99) AS p99_ms, MAX(latency_ms) AS max_ms FROM (
              SELECT latency_ms,
                PERCENTILE_CONT(0.50) WITHIN GROUP (ORDER BY latency_ms) OVER () AS p50,
                PERCENTILE_CONT(0.95) WITHIN GROUP (ORDER BY latency_ms) OVER () AS p95,
                PERCENTILE_CONT(0.99) WITHIN GROUP (ORDER BY latency_ms) OVER () AS p99
              FROM shardsync_control.sync_latency WHERE op IN ($ops)) s" | tail -1
    done
    echo "  generator: $generated"
done
