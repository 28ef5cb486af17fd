#!/usr/bin/env bash
# The local demo in one command: MariaDB source and shards, the demo schema, a stream of changes, and the job.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/demo.sh [events-per-second] [seconds|forever]
       scripts/demo.sh check

Run (the default):
  1. starts the local MariaDB source and shards (scripts/local-mariadb.sh start)
  2. drops the demo database on the shards, demo's tombstones in the job's schema and any reshard workflow of it,
     so the job starts clean
  3. loads scripts/demo-schema.sql on the source (10,000 orders, the all_types rows)
  4. starts scripts/demo-changes.sh in the background (default 200 events/s, forever), log in .local/demo/changes.log
  5. runs the job with jobs-config/demo.yaml on a local MiniCluster, web UI on http://localhost:8081
  Ctrl-C stops the job and the change generator. With a duration the changes stop after that many seconds,
  and `check` shows the shards catching up with the source.

check:
  per table, rows and a checksum on the source, on each shard and over all shards, and the rows that sit on a
  wrong shard (shard key % shards != shard index). Exits 0 when everything matches, 1 otherwise. While changes
  are still being written, a difference may just be replication lag (exactly-once writes land with checkpoints).

Environment:
  SHARDSYNC_SOURCE_PORTS, SHARDSYNC_SHARD_PORTS, SHARDSYNC_LOCAL_DIR  as for scripts/local-mariadb.sh
EOF
}

repo_dir=$(cd "$(dirname "$0")/.." && pwd)
local_dir=${SHARDSYNC_LOCAL_DIR:-$repo_dir/.local/mariadb}
read -r source_port _ <<<"${SHARDSYNC_SOURCE_PORTS:-3307}"
read -r -a shard_ports <<<"${SHARDSYNC_SHARD_PORTS:-3308 3309}"
demo_dir=$repo_dir/.local/demo
generator_pid_file=$demo_dir/changes.pid

# Table, shard key, and the row fingerprint for the checksum. QUOTE() keeps NULL apart from '' and makes
# binary values printable; CONCAT_WS alone would skip NULLs.
readonly TABLES=(orders all_types payments)
declare -A SHARD_KEY=([orders]=user_id [all_types]=id [payments]=user_id)
# 分表: the tables of a table on each shard (NAME_0 … NAME_<n-1>), picked by TABLE_KEY % n
declare -A TABLE_COUNT=([payments]=4)
declare -A TABLE_KEY=([payments]=id)
declare -A FINGERPRINT=(
    [orders]="CONCAT_WS('|', id, user_id, QUOTE(status), QUOTE(amount), QUOTE(note), version, QUOTE(updated_at))"
    [all_types]="CONCAT_WS('|', id, QUOTE(c_tinyint), QUOTE(c_smallint), QUOTE(c_mediumint), QUOTE(c_int),
        QUOTE(c_bigint), QUOTE(c_bigint_unsigned), QUOTE(c_decimal), QUOTE(c_float), QUOTE(c_double),
        QUOTE(HEX(c_bit1)), QUOTE(HEX(c_bit12)), QUOTE(c_date), QUOTE(c_time), QUOTE(c_datetime), QUOTE(c_timestamp),
        QUOTE(c_year), QUOTE(c_char), QUOTE(c_varchar), QUOTE(c_text), QUOTE(c_enum), QUOTE(c_set), QUOTE(c_json),
        QUOTE(HEX(c_binary)), QUOTE(HEX(c_varbinary)), QUOTE(HEX(c_blob)), QUOTE(c_never_set), version)"
    [payments]="CONCAT_WS('|', id, user_id, amount, version)"
)

# The admin client on PORT (further arguments go to mariadb): one tab-separated line per row, no header.
client() {
    local port=$1
    shift
    MYSQL_PWD=$(cat "$local_dir/secrets/shardsync_admin.password") mariadb --no-defaults --protocol=tcp \
        -h127.0.0.1 -P"$port" -ushardsync_admin --default-character-set=utf8mb4 --batch --skip-column-names "$@"
}

query() { client "$1" -e "$2"; }

stop_generator() {
    [ -f "$generator_pid_file" ] || return 0
    local pid
    pid=$(cat "$generator_pid_file")
    # The file may be left from a killed demo and its pid reused since: only ever stop the generator.
    if ps -p "$pid" -o args= | grep -q demo-changes.sh && kill -TERM "$pid" 2>/dev/null; then
        # TERM lets it finish the second it is in and print its summary.
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        tail -1 "$demo_dir/changes.log" || true
    fi
    rm -f "$generator_pid_file"
}

run() {
    if [[ ! ${1:-200} =~ ^[1-9][0-9]*$ || ! ${2:-forever} =~ ^([1-9][0-9]*|forever)$ || $# -gt 2 ]]; then
        usage >&2
        exit 2
    fi
    "$repo_dir/scripts/local-mariadb.sh" start
    local port
    for port in "${shard_ports[@]}"; do
        query "$port" "DROP DATABASE IF EXISTS demo"
        # Tombstones of an earlier demo would block rows of this one. Only demo's: tests share the shards.
        if [ "$(query "$port" "SELECT COUNT(*) FROM information_schema.tables
                WHERE table_schema = 'shardsync' AND table_name = 'row_tombstones'")" = 1 ]; then
            query "$port" "DELETE FROM shardsync.row_tombstones WHERE table_name LIKE 'demo.%'"
        fi
        # A reshard of an earlier demo (scripts/reshard-demo.sh) would still decide the placement.
        query "$port" "DROP TABLE IF EXISTS shardsync_control.reshard_workflow, shardsync_control.reshard_copy"
    done
    echo "shards ${shard_ports[*]}: dropped database demo, its tombstones and any reshard of it"
    client "$source_port" <"$repo_dir/scripts/demo-schema.sql"
    echo "source $source_port: loaded scripts/demo-schema.sql ($(query "$source_port" "SELECT COUNT(*) FROM demo.orders") orders)"

    mkdir -p "$demo_dir"
    stop_generator
    trap stop_generator EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    "$repo_dir/scripts/demo-changes.sh" "$@" >"$demo_dir/changes.log" 2>&1 &
    echo $! >"$generator_pid_file"
    echo "change generator started (pid $!), log: .local/demo/changes.log"
    echo "check the shards from another terminal: scripts/demo.sh check"
    "$repo_dir/scripts/run-local.sh" "$repo_dir/jobs-config/demo.yaml"
}

# One line of the report: where, rows, checksum, wrong-shard rows.
report_line() { printf '  %-16s %10s  %20s  %11s\n' "$@"; }

# Prints one table's comparison; returns 1 when the shards do not match the source.
check_table() {
    local table=$1 shards=${#shard_ports[@]} i out rows sum wrong ok=0
    local key=${SHARD_KEY[$table]} fingerprint=${FINGERPRINT[$table]}
    local total_rows=0 total_sum=0 total_wrong=0 src_rows src_sum
    echo "demo.$table (shard key $key${TABLE_KEY[$table]:+, ${TABLE_COUNT[$table]} tables per shard by ${TABLE_KEY[$table]}})"
    report_line "" rows checksum "wrong shard"
    if ! out=$(query "$source_port" "SELECT COUNT(*), COALESCE(SUM(CRC32($fingerprint)), 0) FROM demo.$table" 2>&1)
    then
        echo "  source $source_port: ${out##*$'\n'}"
        return 1
    fi
    read -r src_rows src_sum <<<"$out"
    report_line "source ($source_port)" "$src_rows" "$src_sum" ""
    # a table split over tables of each shard is read as their union, each row with its table's index t
    local count=${TABLE_COUNT[$table]:-1} from="demo.$table" misplaced="0" t
    if ((count > 1)); then
        from="(SELECT *, 0 AS t FROM demo.${table}_0"
        for ((t = 1; t < count; t++)); do from+=" UNION ALL SELECT *, $t FROM demo.${table}_$t"; done
        from+=") AS split"
        misplaced="${TABLE_KEY[$table]} % $count <> t"
    fi
    for i in "${!shard_ports[@]}"; do
        if ! out=$(query "${shard_ports[$i]}" "SELECT COUNT(*), COALESCE(SUM(CRC32($fingerprint)), 0),
                COALESCE(SUM($key % $shards <> $i OR $misplaced), 0) FROM $from" 2>&1); then
            report_line "shard-$i (${shard_ports[$i]})" "-" "-" "-"
            echo "    ${out##*$'\n'}"  # the client echoes the statement; its last line is the error
            ok=1
            continue
        fi
        read -r rows sum wrong <<<"$out"
        report_line "shard-$i (${shard_ports[$i]})" "$rows" "$sum" "$wrong"
        total_rows=$((total_rows + rows))
        total_sum=$((total_sum + sum))
        total_wrong=$((total_wrong + wrong))
    done
    report_line "all shards" "$total_rows" "$total_sum" "$total_wrong"
    if ((ok == 0 && total_rows == src_rows && total_sum == src_sum && total_wrong == 0)); then
        echo "  OK: the shards hold exactly the source's rows, each on its shard"
    else
        echo "  DIFFERENT: rows $((total_rows - src_rows)) vs source, checksum $([ "$total_sum" = "$src_sum" ] \
            && echo equal || echo differs), $total_wrong on a wrong shard"
        ok=1
    fi
    return "$ok"
}

check() {
    local table status=0
    if [ -f "$generator_pid_file" ] && ps -p "$(cat "$generator_pid_file")" -o args= | grep -q demo-changes.sh; then
        echo "note: the change generator is running; differences may be replication lag"
    fi
    for table in "${TABLES[@]}"; do
        check_table "$table" || status=1
    done
    return "$status"
}

case "${1:-}" in
    -h | --help) usage ;;
    check) check ;;
    *) run "$@" ;;
esac
