#!/usr/bin/env bash
# Throughput of the demo job as its own metrics report it: snapshot rows/s, then binlog changes/s.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/bench-demo.sh [orders] [events-per-second] [seconds]

Loads the demo schema with ORDERS orders (default 300000), runs jobs-config/demo.yaml on a local
MiniCluster (scripts/run-local.sh), and reads the job's metrics through its REST API (localhost:8081):
  snapshot: appliedChanges of the version merge until every order is applied, as rows/s
  binlog:   one bulk UPDATE of 2/3 of the orders (ids not divisible by 3), timed by appliedChanges
  mixed:    scripts/demo-changes.sh at EVENTS-PER-SECOND (default 4000) for SECONDS (default 30)
The job and the generator are stopped at the end.
EOF
}

case "${1:-}" in -h | --help) usage; exit 0 ;; esac
orders=${1:-300000}
rate=${2:-4000}
seconds=${3:-30}
repo_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_dir"
rest=http://localhost:8081
out=.local/bench-demo
mkdir -p "$out"

scripts/load-demo.sh "$orders" >/dev/null
total=$(scripts/local-mariadb.sh sql 3307 "SELECT COUNT(*) FROM demo.orders" | tail -1)
echo "source: $total orders"

scripts/run-local.sh jobs-config/demo.yaml >"$out/job.out" 2>&1 &
job_pid=$!
generator_pid=
cleanup() {
    [ -n "$generator_pid" ] && kill "$generator_pid" 2>/dev/null || true
    kill "$job_pid" 2>/dev/null || true
    wait 2>/dev/null || true
}
trap cleanup EXIT

# metric NAME: the sum over the merge's subtasks of shardsync.NAME (ids of chained operators carry
# the operator name)
metric() {
    local job vertex
    job=$(curl -sf "$rest/jobs" | grep -o '"id":"[0-9a-f]*"' | head -1 | cut -d'"' -f4) || return 1
    vertex=$(curl -sf "$rest/jobs/$job" | grep -o '"id":"[0-9a-f]*","slotSharingGroupId":"[0-9a-f]*","name":"Version merge' |
        cut -d'"' -f4) || return 1
    curl -sf "$rest/jobs/$job/vertices/$vertex/subtasks/metrics?get=Version_merge_(latest-wins).shardsync.$1&agg=sum" |
        grep -o '"sum":[0-9.E]*' | cut -d: -f2
}

applied=0
until [ "${applied%.*}" -gt 0 ] 2>/dev/null; do
    sleep 0.5
    applied=$(metric appliedChanges || echo 0)
    kill -0 "$job_pid" 2>/dev/null || { cat "$out/job.out"; exit 1; }
done
start=$(date +%s.%N)
while [ "${applied%.*}" -lt "$total" ]; do
    sleep 0.5
    applied=$(metric appliedChanges || echo 0)
done
end=$(date +%s.%N)
printf 'snapshot: %d rows applied in %.1f s = %.0f rows/s (job metric appliedChanges)\n' \
    "${applied%.*}" "$(echo "$end - $start" | bc)" "$(echo "${applied%.*} / ($end - $start)" | bc -l)"

# binlog: one bulk UPDATE writes N row events at once, so the job, not the writer, sets the pace
# (the merge's appliedChanges from the first to the last of them).
before=${applied%.*}
updates=$(scripts/local-mariadb.sh sql 3307 "UPDATE demo.orders SET version = version + 1,
    amount = amount + 1 WHERE id % 3 != 0; SELECT ROW_COUNT()" | tail -1)
until [ "${applied%.*}" -gt "$before" ]; do
    sleep 0.2
    applied=$(metric appliedChanges || echo 0)
done
start=$(date +%s.%N)
while [ "${applied%.*}" -lt $((before + updates)) ]; do
    sleep 0.2
    applied=$(metric appliedChanges || echo 0)
done
end=$(date +%s.%N)
printf 'binlog: %d update events applied in %.1f s = %.0f events/s (job metric appliedChanges)\n' \
    "$updates" "$(echo "$end - $start" | bc)" "$(echo "$updates / ($end - $start)" | bc -l)"

# mixed load: the demo generator for SECONDS at RATE; the job must keep up.
before=${applied%.*}
scripts/demo-changes.sh "$rate" "$seconds" >"$out/changes.log" 2>&1 &
generator_pid=$!
wait "$generator_pid" || true
generator_pid=
tail -1 "$out/changes.log"
sleep "$(grep -o 'checkpointInterval: *[0-9]*' jobs-config/demo.yaml | grep -o '[0-9]*$')"
after=$(metric appliedChanges)
echo "mixed load: appliedChanges went from $before to ${after%.*}"
