#!/usr/bin/env bash
# Fresh demo data for the benchmarks and the end-to-end test: empty shards, the demo schema with N orders at the source.
set -euo pipefail

usage() {
    cat <<'EOF2'
Usage: scripts/load-demo.sh [orders]

On the local shards (3308, 3309, and 3310, 3311 of the reshard demo) drops the demo database, the job's control database (shardsync_control) and
the demo's tombstones; on the source (3307) loads scripts/demo-schema.sql and seeds it to ORDERS orders
(default 10000, at least 10000). Prints the highest order id (auto-increment leaves gaps).
EOF2
}

case "${1:-}" in -h | --help) usage; exit 0 ;; esac
orders=${1:-10000}
[[ $orders =~ ^[0-9]+$ ]] && [ "$orders" -ge 10000 ] || { usage >&2; exit 2; }
cd "$(dirname "$0")/.."
sql() { scripts/local-mariadb.sh sql "$@"; }

scripts/local-mariadb.sh start >/dev/null
for port in 3308 3309 3310 3311; do
    sql "$port" "DROP DATABASE IF EXISTS demo; DROP DATABASE IF EXISTS shardsync_control;
        DELETE FROM shardsync.tombstones WHERE row_key LIKE 'demo.%'" 2>/dev/null || true
done
sql 3307 "SOURCE scripts/demo-schema.sql" >/dev/null
[ "$orders" -eq 10000 ] || sql 3307 "CALL demo.seed_orders($((orders - 10000)))" >/dev/null
sql 3307 "ANALYZE TABLE demo.orders" >/dev/null
sql 3307 "SELECT MAX(id) FROM demo.orders" | tail -1
