#!/usr/bin/env bash
# ShardSync against the alternatives, on the same data in one run: snapshot rows/s, binlog apply events/s,
# end-to-end latency at fixed offered rates, CPU seconds and peak memory per million events.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/bench.sh [rows] [rates] [seconds]

For each contender, on a freshly loaded source (the demo's orders table with ROWS rows, default 1000000) and empty
shards (3308, 3309; routed by user_id % 2):
  snapshot  rows landed on the shards per second, from the first row landed to the last
  binlog    one version bump of every row, written at the source in 50k-row UPDATEs (faster than any contender
            applies them): rows landed at the new version per second, from the first UPDATE to the last row
  latency   scripts' own load (io.shardsync.bench.LoadGenerator: random-row updates setting updated_at = NOW(6))
            at each offered rate in RATES (default "1000 5000") for SECONDS (default 30); a trigger on the shards
            logs SYSDATE(6) of each row written, and latency = that - updated_at: p50/p95/p99
  cost      CPU seconds (user + sys) and peak RSS of the contender's JVM (/usr/bin/time), CPU per million events;
            for the binlog phase alone, CPU seconds per million events of the JVM and of the MariaDB servers
            (/proc), and how busy both kept the cores (100 % = every core the whole phase); the JVM's CPU by
            thread (seconds, seconds per million rows, name) from its start to the end of the snapshot in
            .local/bench/CONTENDER.snapshot.threads, of the binlog phase in .local/bench/CONTENDER.binlog.threads
Contenders (SHARDSYNC_BENCH_CONTENDERS to choose):
  shardsync-exactly-once, shardsync-idempotent  jobs-config/demo.yaml's orders, without side-output tables
  shardsync-changes  shardsync-exactly-once publishing every applied change to the change topic bench.demo.orders
               (changes.topic; scripts/local-kafka.sh, started when missing); not in the default list
  shardsync-filtered  shardsync-exactly-once with a row filter that keeps every row (where: over an ENUM, a DECIMAL
               and a DATETIME column): the cost of evaluating it per change; not in the default list
  shardsync-transformed  shardsync-filtered plus a computed column (amount_cents: amount * 100, in shard tables
               the job creates): the cost of a filter and a computed column per change; not in the default list
  flink-sql    Flink SQL mysql-cdc source -> one jdbc upsert sink per shard with WHERE MOD(user_id, 2) = i
               (io.shardsync.bench.FlinkSqlPipeline; same Flink, CDC connector, parallelism, checkpoints)
  flink-sql-tuned  the same with ShardSync's CDC reader poll interval ('debezium.poll.interval.ms'; the
               connector's default sleeps 500 ms whenever its queue is empty)
  raw-jdbc     a plain JDBC copy with multi-row upserts, one writer per shard: the ceiling of what the shards
               accept (snapshot and binlog phases only; its binlog phase re-copies every row)
  cdc-read     ShardSync's MySqlSource and change deserializer into a sink that only counts
               (io.shardsync.bench.CdcReadOnly): the ceiling of what any CDC pipeline reads here (snapshot and
               binlog phases only; rows/s and events/s as read, nothing written)
SHARDSYNC_BENCH_PARALLELISM sets the streaming contenders' parallelism (default: the demo config's, 2).
Each streaming contender's JVM has a 1 GB heap (-Xmx1g: no more than a 2 GB TaskManager of the Kubernetes example
has; a larger heap only lets G1 grow into it, BENCHMARKS.md "Peak RSS of the exactly-once job").
SHARDSYNC_BENCH_JAVA_OPTS adds JVM options to the streaming contenders (after -Xmx1g, so it may change it), e.g. a profile (the diagnostic flags place
samples inside inlined code where they are):
  -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints
  -XX:StartFlightRecording=filename=.local/bench/profile.jfr,settings=profile
All contenders run on a local MiniCluster in their own JVM, one after the other. Results: .local/bench/results.tsv,
the latency plot .local/bench/latency.png (gnuplot), and each ShardSync contender's rates as ratios to the Flink SQL
pipeline and the ceilings that ran in the same run, with its JVM CPU per million binlog events, and whether the
targets of issue 17 hold in the run; and every contender's binlog-phase JVM CPU by group of threads (tasks, binlog
client, JIT, collector, RocksDB, checkpoints, rest).
EOF
}

case "${1:-}" in -h | --help) usage; exit 0 ;; esac
rows=${1:-1000000}
rates=${2:-1000 5000}
seconds=${3:-30}
contenders=${SHARDSYNC_BENCH_CONTENDERS:-shardsync-exactly-once shardsync-idempotent flink-sql flink-sql-tuned raw-jdbc cdc-read}
repo_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_dir"
out=$repo_dir/.local/bench
mkdir -p "$out"
secrets=$repo_dir/.local/mariadb/secrets
sql() { scripts/local-mariadb.sh sql "$@"; }
value() { sql "$@" | tail -1; }
now() { date +%s.%N; }

command -v gnuplot >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q gnuplot-nox >/dev/null
mvn -B -q -Pbench test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$out/classpath.txt"
classpath="$repo_dir/target/classes:$repo_dir/target/test-classes:$(cat "$out/classpath.txt")"

# The demo job with only the orders table, no side-output tables, absolute password files, and a delivery mode.
config() {
    python3 - "$repo_dir" "$1" "${SHARDSYNC_BENCH_PARALLELISM:-}" <<'PY'
import re, sys
repo, delivery = sys.argv[1], sys.argv[2]
demo = open(f"{repo}/jobs-config/demo.yaml").read().replace("{file: .local/", "{file: " + repo + "/.local/")
demo = re.sub(r"  - database: demo[^\n]*\n    table: (all_types|payments)[^\n]*\n(    .*\n)*", "", demo)
demo = demo[: demo.index("# Optional: the database of the sync_conflicts")]
demo = re.sub(r"(?m)^delivery: \S+", "delivery: " + delivery, demo)
if sys.argv[3]:
    demo = re.sub(r"(?m)^parallelism: \d+", "parallelism: " + sys.argv[3], demo)
print(demo)
PY
}

# ratios RESULTS: each ShardSync contender's snapshot and binlog rates against the Flink SQL pipeline (tuned if it
# ran) and the two ceilings that ran in the same run, its JVM CPU per million binlog events, and whether the
# targets of issue 17 hold in this run; every contender's binlog-phase JVM CPU by group of threads.
ratios() {
    python3 - "$1" <<'PY'
import csv, os, re, sys
rows, latency = {}, {}
for row in csv.DictReader(open(sys.argv[1]), delimiter="\t"):
    rows.setdefault(row["contender"], row)
    if row["rate"] not in ("-", ""):
        latency.setdefault(row["contender"], []).append(row)
def rate(name, column):
    value = rows.get(name, {}).get(column, "-")
    return float(value) if value not in ("-", "", None) else None
sql = "flink-sql-tuned" if "flink-sql-tuned" in rows else "flink-sql"
others = [c for c in (sql, "raw-jdbc", "cdc-read") if c in rows]
print("\nratios in this run" + ("" if others else ": no Flink SQL pipeline or ceiling ran"))
for name in rows:
    if not name.startswith("shardsync"):
        continue
    parts = []
    for phase, column in (("binlog", "binlog_events_per_s"), ("snapshot", "snapshot_rows_per_s")):
        ours = rate(name, column)
        against = [f"{ours / rate(o, column):.2f}x {o}" for o in others if ours and rate(o, column)]
        parts.append(f"{phase} " + (", ".join(against) if against else "-"))
    cpu = rows[name]["binlog_jvm_cpu_s_per_million"]
    print(f"  {name}: " + "; ".join(parts) + f"; {cpu} JVM CPU s per million binlog events")

# issue 17: binlog against the SQL pipeline and the raw ceiling, JVM CPU per million binlog events, snapshot
# against the SQL pipeline, p99 at the highest offered rate (exactly-once: the bench's 2 s checkpoint
# interval + 300 ms), peak RSS
TARGETS = {
    "shardsync-exactly-once": {"binlog": 1.1, "cpu": 36, "p99": 2300, "rss": 1500},
    "shardsync-idempotent": {"binlog": 1.25, "cpu": 32, "p99": 300},
}
def check(label, value, bound, at_least):
    if value is None:
        return f"{label} - (did not run)"
    held = value >= bound if at_least else value <= bound
    sign = ">=" if at_least else "<="
    return f"{label} {value:g} ({sign} {bound:g}: {'holds' if held else 'NOT MET'})"
for name, target in TARGETS.items():
    if name not in rows:
        continue
    def ratio(column, other):
        ours, theirs = rate(name, column), rate(other, column)
        return round(ours / theirs, 2) if ours and theirs else None
    checks = [
        check(f"binlog x {sql}", ratio("binlog_events_per_s", sql), target["binlog"], True),
        check("binlog x raw-jdbc", ratio("binlog_events_per_s", "raw-jdbc"), 0.5, True),
        check("JVM CPU s/M", rate(name, "binlog_jvm_cpu_s_per_million"), target["cpu"], False),
        check(f"snapshot x {sql}", ratio("snapshot_rows_per_s", sql), 1.0, True),
    ]
    fastest = max(latency.get(name, []), key=lambda r: float(r["rate"]), default=None)
    p99 = float(fastest["p99_ms"]) if fastest and fastest["p99_ms"] not in ("-", "") else None
    checks.append(check(f"p99 ms at {fastest['rate'] if fastest else '-'}/s", p99, target["p99"], False))
    if "rss" in target:
        checks.append(check("peak RSS MB", rate(name, "peak_rss_mb"), target["rss"], False))
    print(f"  targets {name}: " + "; ".join(checks))

# the binlog phase's JVM CPU by thread (CONTENDER.binlog.threads), in groups of threads
GROUPS = [("tasks", r"Version_merge|Source:_|jdbc-upsert"), ("binlog client", r"blc-|Source_Data_Fet|binlog-reader"),
          ("JIT", r"C#_Compiler"), ("collector", r"GC_Thread|G#_"), ("RocksDB", r"rocksdb|Flink-RocksDB"),
          ("checkpoints", r"AsyncOperations"), ("rest", r"")]
for name in rows:
    path = os.path.join(os.path.dirname(sys.argv[1]), name + ".binlog.threads")
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        continue
    sums = dict.fromkeys((label for label, _ in GROUPS), 0.0)
    for line in open(path):
        _, per_million, thread = line.rstrip("\n").split("\t")
        label = next(label for label, pattern in GROUPS if re.match(pattern, thread))
        sums[label] += float(per_million)
    print(f"  binlog JVM CPU s/M by thread, {name}: "
          + ", ".join(f"{label} {value:.1f}" for label, value in sums.items() if value))
PY
}

reset_data() {
    local port
    max_id=$(scripts/load-demo.sh "$rows") # auto-increment leaves gaps
    for port in 3308 3309; do
        sql "$port" "DROP DATABASE IF EXISTS bench"
    done
    # Every contender writes into the same, pre-created shard tables (Flink SQL's jdbc sink cannot create them).
    mariadb-dump --no-defaults -h127.0.0.1 -P3307 -ushardsync_admin -p"$(cat "$secrets/shardsync_admin.password")" \
        --no-data --skip-triggers demo orders >"$out/orders.sql"
    for port in 3308 3309; do
        sql "$port" "CREATE DATABASE demo CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
            CREATE DATABASE bench; CREATE TABLE bench.arrivals (id BIGINT, version BIGINT, updated_at DATETIME(6),
            arrived_at DATETIME(6))"
        { echo "USE demo;"; cat "$out/orders.sql"; } | sql "$port"
    done
}

# landed VERSION: rows on the shards at VERSION or newer.
landed() {
    echo $(($(value 3308 "SELECT COUNT(*) FROM demo.orders WHERE version >= $1") +
        $(value 3309 "SELECT COUNT(*) FROM demo.orders WHERE version >= $1")))
}

# wait_landed VERSION: waits until every row is on the shards at VERSION; prints seconds since the first landed.
wait_landed() {
    local first= n
    while true; do
        n=$(landed "$1")
        [ -z "$first" ] && [ "$n" -gt 0 ] && first=$(now)
        [ "$n" -ge "$rows" ] && break
        kill -0 "$pid" 2>/dev/null || { tail -30 "$out/$contender.log"; echo "$contender died" >&2; exit 1; }
        sleep 0.5
    done
    echo "$first"
}

start_contender() {
    local main
    case $contender in
        shardsync-*) main="io.shardsync.ShardSync --mode sync --local --config $out/$contender.yaml" ;;
        flink-sql) main="io.shardsync.bench.FlinkSqlPipeline --config $out/$contender.yaml" ;;
        flink-sql-tuned) main="io.shardsync.bench.FlinkSqlPipeline --config $out/$contender.yaml --tuned" ;;
        cdc-read) main="io.shardsync.bench.CdcReadOnly --config $out/$contender.yaml --rows $rows" ;;
    esac
    rm -rf .local/checkpoints "$out/tmp"
    mkdir -p "$out/tmp"
    # shellcheck disable=SC2086 # main is a command line
    /usr/bin/time -f "%U %S %M" -o "$out/$contender.time" \
        java -Xmx1g ${SHARDSYNC_BENCH_JAVA_OPTS:-} -Djava.io.tmpdir="$out/tmp" -Dlog4j2.configurationFile="$repo_dir/src/test/resources/log4j2-test.properties" \
        -cp "$classpath" $main >"$out/$contender.log" 2>&1 &
    pid=$!
}

# Stops the contender's JVM (the child of /usr/bin/time, which then writes its CPU and memory figures) and removes
# its temporary files: Flink's RPC system jar and the MiniCluster's working directory with the RocksDB instances
# (45-60 MB), which a JVM stopped by a signal leaves behind.
stop_contender() {
    pkill -TERM -P "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    rm -rf "$out/tmp"
}

# bump_versions: one version bump of every row, in 50k-row UPDATEs.
bump_versions() {
    local from
    for ((from = 1; from <= max_id; from += 50000)); do
        sql 3307 "UPDATE demo.orders SET version = version + 1, updated_at = NOW(6)
            WHERE id BETWEEN $from AND $((from + 49999))"
    done
}

# ticks PID...: user + system CPU clock ticks the processes have used so far.
ticks() {
    local p total=0 stat
    for p in "$@"; do
        read -r -a stat < <(sed 's/^.*) //' "/proc/$p/stat") # fields from the 3rd: utime is the 14th
        total=$((total + stat[11] + stat[12]))
    done
    echo "$total"
}

# binlog_cost_start / binlog_cost_end JVM_SECONDS: CPU of the binlog phase per million events, the contender's
# JVM and the MariaDB servers apart (jvm_per_million, db_per_million), and how busy both kept the cores.
binlog_cost_start() {
    cost_t0=$(now)
    db0=$(ticks $(pgrep -x mariadbd))
    jvm0=$(jvm_ticks)
    threads0=$(thread_ticks)
    thread_seconds /dev/null <(echo "$threads0") >"$out/$contender.snapshot.threads"
}
binlog_cost_end() {
    local hz wall jvm db
    hz=$(getconf CLK_TCK)
    wall=$(echo "$(now) - $cost_t0" | bc)
    db=$(echo "scale=2; ($(ticks $(pgrep -x mariadbd)) - $db0) / $hz" | bc)
    jvm=${1:-$(echo "scale=2; ($(jvm_ticks) - $jvm0) / $hz" | bc)}
    jvm_per_million=$(echo "scale=1; $jvm * 1000000 / $rows" | bc)
    db_per_million=$(echo "scale=1; $db * 1000000 / $rows" | bc)
    busy=$(echo "($jvm + $db) * 100 / ($wall * $(nproc))" | bc)
    thread_ticks | thread_seconds <(echo "$threads0") - >"$out/$contender.binlog.threads"
}

# thread_seconds BEFORE AFTER: the CPU each thread name used between two thread_ticks, in seconds and seconds per
# million rows, most first.
thread_seconds() {
    awk -v hz="$(getconf CLK_TCK)" -v rows="$rows" 'FILENAME == ARGV[1] { before[$1] = $2; next }
        { s = ($2 - before[$1]) / hz; if (s > 0) printf "%.2f\t%.2f\t%s\n", s, s * 1000000 / rows, $1 }' \
        "$1" "$2" | sort -rn
}

# thread_ticks: the running contender's JVM's CPU clock ticks so far by thread name (numbers in names folded to #,
# so a task's subtasks and a pool's threads add up); nothing when none runs.
thread_ticks() {
    local java task
    java=$(contender_jvm)
    [ -n "$java" ] || return 0
    for task in /proc/"$java"/task/*; do
        sed -E 's/^[0-9]+ \((.*)\) \S+ ((\S+ ){10})(\S+) (\S+).*/\1\t\4 \5/' "$task/stat" 2>/dev/null || true
    done | awk -F'\t' '{ name = $1; gsub(/[0-9]+/, "#", name); gsub(/ /, "_", name); split($2, t, " ")
        ticks[name] += t[1] + t[2] } END { for (n in ticks) print n, ticks[n] }'
}

# jvm_ticks: CPU ticks of the running contender's JVM; 0 when none runs.
jvm_ticks() {
    local java
    java=$(contender_jvm)
    if [ -n "$java" ]; then ticks "$java"; else echo 0; fi
}

# contender_jvm: the process id of the running contender's JVM (the child of /usr/bin/time); nothing when none runs.
contender_jvm() {
    pgrep -P "${pid:-0}" java || true
}

# reported PHASE: the rate CdcReadOnly printed for PHASE, once it has.
reported() {
    until grep -q "^$1:" "$out/$contender.log"; do
        kill -0 "$pid" 2>/dev/null || { tail -30 "$out/$contender.log"; echo "$contender died" >&2; exit 1; }
        sleep 0.5
    done
    grep "^$1:" "$out/$contender.log" | grep -o '[0-9]* [a-z]*/s' | grep -o '^[0-9]*'
}

# latency RATE: offered load at RATE for SECONDS; prints p50 p95 p99 of arrival - updated_at in ms.
latency() {
    local port start
    for port in 3308 3309; do
        sql "$port" "TRUNCATE bench.arrivals; DROP TRIGGER IF EXISTS demo.arrival;
            CREATE TRIGGER demo.arrival AFTER UPDATE ON demo.orders FOR EACH ROW
            INSERT INTO bench.arrivals VALUES (NEW.id, NEW.version, NEW.updated_at, SYSDATE(6))"
    done
    start=$(value 3307 "SELECT NOW(6)")
    BENCH_PASSWORD=$(cat "$secrets/shardsync_admin.password") java -cp "$classpath" io.shardsync.bench.LoadGenerator \
        --url "jdbc:mariadb://127.0.0.1:3307/demo" --user shardsync_admin --rows "$max_id" --rate "$1" \
        --seconds "$seconds" >>"$out/load.log"
    sleep 8 # the last checkpoint commits the last rows
    for port in 3308 3309; do
        sql "$port" "DROP TRIGGER demo.arrival"
        sql "$port" "SELECT TIMESTAMPDIFF(MICROSECOND, updated_at, arrived_at) / 1000 FROM bench.arrivals
            WHERE updated_at >= '$start'" | tail -n +2
    done | sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "- - - 0"; exit }
        printf "%.0f %.0f %.0f %d\n", v[int(NR * 0.50) + 1], v[int(NR * 0.95) + 1], v[int(NR * 0.99) + 1], NR }'
}

printf 'contender\tsnapshot_rows_per_s\tbinlog_events_per_s\tbinlog_jvm_cpu_s_per_million\tbinlog_db_cpu_s_per_million\tbinlog_busy_pct\trate\tp50_ms\tp95_ms\tp99_ms\tcpu_s\tcpu_s_per_million\tpeak_rss_mb\n' \
    >"$out/results.tsv"
pid=
trap 'stop_contender' EXIT
for contender in $contenders; do
    echo "== $contender"
    reset_data
    events=$((2 * rows))
    if [ "$contender" = raw-jdbc ]; then
        config exactly-once >"$out/$contender.yaml"
        /usr/bin/time -f "%U %S %M" -o "$out/$contender.time" java -cp "$classpath" io.shardsync.bench.RawJdbcLoader \
            --config "$out/$contender.yaml" >"$out/$contender.log" 2>&1
        snapshot=$(grep -o '[0-9]* rows/s' "$out/$contender.log" | grep -o '[0-9]*')
        sql 3307 "UPDATE demo.orders SET version = version + 1, updated_at = NOW(6)"
        binlog_cost_start
        /usr/bin/time -f "%U %S %M" -a -o "$out/$contender.time" java -cp "$classpath" io.shardsync.bench.RawJdbcLoader \
            --config "$out/$contender.yaml" >>"$out/$contender.log" 2>&1
        binlog_cost_end "$(tail -1 "$out/$contender.time" | awk '{ print $1 + $2 }')"
        binlog=$(grep -o '[0-9]* rows/s' "$out/$contender.log" | tail -1 | grep -o '[0-9]*')
        results=("- - - 0")
    elif [ "$contender" = cdc-read ]; then
        config exactly-once >"$out/$contender.yaml"
        start_contender
        snapshot=$(reported snapshot)
        binlog_cost_start
        bump_versions
        binlog=$(reported binlog)
        binlog_cost_end
        stop_contender
        results=("- - - 0")
    else
        case $contender in
            shardsync-changes)
                scripts/local-kafka.sh start >/dev/null
                config exactly-once
                printf 'kafka:\n  bootstrapServers: 127.0.0.1:9092\nchanges:\n  topic: bench.{database}.{table}\n'
                ;;
            shardsync-filtered)
                config exactly-once | python3 -c "import sys; print(sys.stdin.read().replace('    table: orders',
                    '    where: \"status <> \'void\' AND amount >= 0 AND updated_at >= \'2020-01-01\'\"\n    table: orders', 1))"
                ;;
            shardsync-transformed)
                # its shard tables have the computed column: the job creates them
                for port in 3308 3309; do sql "$port" "DROP TABLE demo.orders" >/dev/null; done
                config exactly-once | python3 -c "import sys; print(sys.stdin.read().replace('    table: orders',
                    '    where: \"status <> \'void\' AND amount >= 0 AND updated_at >= \'2020-01-01\'\"\n'
                    '    columns: {computed: {amount_cents: \"amount * 100\"}}\n    table: orders', 1))"
                ;;
            *) config "${contender#shardsync-}" | sed 's/^delivery: flink-sql.*/delivery: exactly-once/' ;;
        esac >"$out/$contender.yaml"
        start_contender
        first=$(wait_landed 1)
        snapshot=$(echo "$rows / ($(now) - $first)" | bc)
        t=$(now)
        binlog_cost_start
        bump_versions
        wait_landed 2 >/dev/null
        binlog=$(echo "$rows / ($(now) - $t)" | bc)
        binlog_cost_end
        results=()
        for rate in $rates; do
            results+=("$(latency "$rate")")
            events=$((events + rate * seconds))
        done
        stop_contender
    fi
    read -r cpu rss < <(awk '/^[0-9.]+ [0-9.]+ [0-9]+$/ { cpu += $1 + $2; if ($3 > rss) rss = $3 } END { print cpu, rss }' \
        "$out/$contender.time")
    per_million=$(echo "scale=1; $cpu * 1000000 / $events" | bc)
    i=0
    for rate in $rates; do
        read -r p50 p95 p99 _ <<<"${results[$i]:-- - - 0}"
        case $contender in raw-jdbc | cdc-read) rate=- ;; esac
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.0f\t%s\t%d\n' "$contender" "$snapshot" "$binlog" \
            "$jvm_per_million" "$db_per_million" "$busy" "$rate" "$p50" "$p95" \
            "$p99" "$cpu" "$per_million" $((rss / 1024)) | tee -a "$out/results.tsv"
        i=$((i + 1))
        case $contender in raw-jdbc | cdc-read) break ;; esac
    done
done

# Latency percentiles against offered rate: one colour per contender, p50 solid, p95 dashed, p99 dotted, on a
# log scale so the idempotent contender's 100-300 ms and the exactly-once 1-2 s are both readable.
# Only the streaming contenders measure latency: none ran, no plot.
awk -F'\t' 'NR > 1 && $7 != "-" && $8 != "-" { print $1, $7, $8, $9, $10 }' "$out/results.tsv" >"$out/latency.dat"
if [ -s "$out/latency.dat" ]; then
    gnuplot <<EOF
set terminal pngcairo size 1000,560 font ",10"
set output "$out/latency.png"
set title "End-to-end latency vs offered rate ($rows-row orders table, 2 shards)\nper contender: p50 solid, p95 dashed, p99 dotted"
set xlabel "offered updates per second"
set ylabel "latency (ms, log scale)"
set logscale y
set key outside right
set grid
percentile(p) = p == 3 ? "p50" : (p == 4 ? "p95" : "p99")
contenders = "$(awk -F'\t' 'NR > 1 && $7 != "-" { print $1 }' "$out/results.tsv" | sort -u | tr '\n' ' ')"
plot for [i=1:words(contenders)] for [p=3:5] "$out/latency.dat" \
    using 2:(strcol(1) eq word(contenders, i) ? column(p) : NaN) with linespoints \
    linecolor i dashtype p-2 pointtype p+4 title word(contenders, i)." ".percentile(p)
EOF
fi
echo
column -t -s $'\t' "$out/results.tsv"
ratios "$out/results.tsv"
if [ -s "$out/latency.dat" ]; then echo "plot: $out/latency.png"; fi
