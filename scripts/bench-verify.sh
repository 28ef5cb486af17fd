#!/usr/bin/env bash
# Verify mode against pt-table-sync --print: speed and found differences on a known-corrupted copy.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/bench-verify.sh [rows]

Creates database bench_verify on the local source (127.0.0.1:3307) with ROWS orders (default 1000000),
copies them to the shards (3308 = shard-0, 3309 = shard-1; a row with user_id U goes to shard U % 2) with
mariadb-dump --where, not through the job, then corrupts the shards in known ways:
  5 deleted rows, 5 changed notes (NULL -> '', case, trailing space, emoji, text), 5 extra rows
  (below the first key, in key gaps, above the last key), 3 amounts off by 0.01
and runs both
  ShardSync --mode verify --rechecks 0            (both shards in one run)
  pt-table-sync --print --where "user_id % 2 = I"  (source -> shard I, once per shard)
Checks that each tool reports exactly the corrupted keys, prints a table of rows, seconds, rows/s and
differences found, and the ratio of the rates. bench_verify is dropped everywhere at the end.

Installs percona-toolkit (and jq) with apt-get when missing; compiles with mvn -Plocal.
Work files: .local/bench-verify (job config, verify report, pt-table-sync output, logs).

Environment:
  SHARDSYNC_LOCAL_DIR   as for scripts/local-mariadb.sh (generated passwords), default .local/mariadb
  BENCH_VERIFY_THREADS  --threads of verify, default 2
EOF
}

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
esac
rows=${1:-1000000}
if ! [[ "$rows" =~ ^[0-9]+$ ]] || [ "$rows" -lt 1000 ]; then
    echo "rows must be a number >= 1000" >&2
    exit 2
fi
threads=${BENCH_VERIFY_THREADS:-2}

repo_dir=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo_dir"
local_dir=${SHARDSYNC_LOCAL_DIR:-$repo_dir/.local/mariadb}
out=.local/bench-verify
mkdir -p "$out"
source_port=3307
shard_ports=(3308 3309)
db=bench_verify

install_tools() {
    local missing=()
    command -v pt-table-sync >/dev/null 2>&1 || missing+=(percona-toolkit)
    command -v jq >/dev/null 2>&1 || missing+=(jq)
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing ${missing[*]}"
    apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
}
install_tools

scripts/local-mariadb.sh start >/dev/null
admin_password_file=$local_dir/secrets/shardsync_admin.password
[ -s "$admin_password_file" ] || { echo "no $admin_password_file; run scripts/local-mariadb.sh start" >&2; exit 1; }

# A client option file, so the admin password is on no command line: mariadb and mariadb-dump read it
# with --defaults-file, pt-table-sync with the DSN key F. Its default-character-set=utf8mb4 is also how
# pt-table-sync gets utf8mb4: its --charset utf8mb4 dies on "Wide character in print" (3.2.1 sets the
# utf8 output layer for utf8 only); without --charset it passes the bytes through.
secrets=$(mktemp -d)
chmod 700 "$secrets"
cnf=$secrets/admin.cnf
(
    umask 077
    printf '[client]\nuser=shardsync_admin\npassword=%s\nhost=127.0.0.1\ndefault-character-set=utf8mb4\n' "$(cat "$admin_password_file")" >"$cnf"
)

cleanup() {
    local port
    for port in "$source_port" "${shard_ports[@]}"; do
        mariadb --defaults-file="$cnf" -P"$port" -e "DROP DATABASE IF EXISTS $db" 2>/dev/null ||
            echo "could not drop $db on $port" >&2
    done
    rm -rf "$secrets"
}
trap cleanup EXIT

sql() { mariadb --defaults-file="$cnf" -P"$1" -N -B -e "$2"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "Compiling (log: $out/build.log)"
if ! mvn -q -B -Plocal -DskipTests compile \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$out/classpath" -Dmdep.includeScope=runtime >"$out/build.log" 2>&1; then
    cat "$out/build.log" >&2
    exit 1
fi

# ---- data --------------------------------------------------------------------------------------
# Ids are 10, 20, ..., 10*ROWS, so there are gaps for extra rows inside the key range.
started=$(now)
for port in "$source_port" "${shard_ports[@]}"; do
    sql "$port" "DROP DATABASE IF EXISTS $db; CREATE DATABASE $db CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
done
sql "$source_port" "
    CREATE TABLE $db.orders (
        id BIGINT NOT NULL PRIMARY KEY,
        user_id BIGINT NOT NULL,
        status VARCHAR(16) NOT NULL,
        amount DECIMAL(12,2) NOT NULL,
        note VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL,
        version BIGINT NOT NULL,
        updated_at DATETIME(6) NOT NULL,
        KEY idx_user (user_id)
    ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
    INSERT INTO $db.orders
    SELECT seq * 10,
           (seq * 7919) % 100003 + 1,
           ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'cancelled'),
           (seq * 37 % 1000000) / 100,
           CASE WHEN seq % 10 = 0 THEN NULL
                WHEN seq % 10 = 1 THEN CONCAT('gift wrap ', seq, ' – bitte klingeln ✓ 🎁')
                ELSE CONCAT('order ', seq, ' for user ', (seq * 7919) % 100003 + 1) END,
           1 + seq % 5,
           TIMESTAMP'2026-01-01 00:00:00' + INTERVAL seq SECOND + INTERVAL seq % 1000000 MICROSECOND
    FROM $db.seq_1_to_$rows"
for i in 0 1; do
    # Table definition and the shard's rows, as plain SQL.
    mariadb-dump --defaults-file="$cnf" -P"$source_port" --single-transaction --skip-triggers \
        --where="user_id % 2 = $i" "$db" orders | mariadb --defaults-file="$cnf" -P"${shard_ports[$i]}" "$db"
done
echo "loaded $rows rows (source) and copied them to the shards in $(elapsed "$started" "$(now)") s"
sql "$source_port" "ANALYZE TABLE $db.orders" >/dev/null
for i in 0 1; do sql "${shard_ports[$i]}" "ANALYZE TABLE $db.orders" >/dev/null; done

# ---- corruption --------------------------------------------------------------------------------
# id of a row near fraction F of the table whose seq ends in digit R (seq % 10 picks the note: 0 NULL,
# 1 the one with non-ASCII text, else plain text)
id_at() {
    awk -v n="$rows" -v f="$1" -v r="${2:-0}" 'BEGIN {
        s = int(n * f / 10) * 10 + r; while (s > n) s -= 10; if (s < 1) s = 1; print s * 10 }'
}
deleted=("$(id_at 0 1)" "$(id_at 0.25 4)" "$(id_at 0.5)" "$(id_at 0.75 7)" "$rows"0)
# notes: NULL -> '', upper case (the collation ignores case), trailing space (PAD SPACE collations
# ignore it), an emoji appended to a non-ASCII note, other text
noted=("$(id_at 0.1 0)" "$(id_at 0.3 2)" "$(id_at 0.3 3)" "$(id_at 0.6 1)" "$(id_at 0.9 5)")
amounts=("$(id_at 0.2 6)" "$(id_at 0.55 8)" "$(id_at 0.85 9)")
# extra rows: below the first key, in two gaps, above the last key (on shard user_id % 2)
extras=(5 "$(($(id_at 0.4 2) + 5))" "$(($(id_at 0.7 3) + 3))" "$((rows * 10 + 10))" "$((rows * 10 + 1000))")
extra_users=(2 3 4 5 7)

in_list() { local IFS=,; echo "$*"; }
for port in "${shard_ports[@]}"; do
    sql "$port" "
        DELETE FROM $db.orders WHERE id IN ($(in_list "${deleted[@]}"));
        UPDATE $db.orders SET note = '' WHERE id = ${noted[0]};
        UPDATE $db.orders SET note = UPPER(note) WHERE id = ${noted[1]};
        UPDATE $db.orders SET note = CONCAT(note, ' ') WHERE id = ${noted[2]};
        UPDATE $db.orders SET note = CONCAT(note, ' 😀') WHERE id = ${noted[3]};
        UPDATE $db.orders SET note = 'changed by bench' WHERE id = ${noted[4]};
        UPDATE $db.orders SET amount = amount + 0.01 WHERE id IN ($(in_list "${amounts[@]}"))"
done
for k in "${!extras[@]}"; do
    u=${extra_users[$k]}
    sql "${shard_ports[$((u % 2))]}" "INSERT INTO $db.orders VALUES
        (${extras[$k]}, $u, 'new', 1.00, 'not at the source', 1, '2026-06-01 00:00:00')"
done
# A quiet verify: the load's dirty pages are written out before either tool runs, so neither shares the
# servers with InnoDB's background flushing of them (the first tool would, the second less).
for port in "$source_port" "${shard_ports[@]}"; do
    sql "$port" "FLUSH TABLES $db.orders FOR EXPORT; UNLOCK TABLES"
done
{
    printf '%s MISSING\n' "${deleted[@]}"
    printf '%s DIFFERENT\n' "${noted[@]}" "${amounts[@]}"
    printf '%s EXTRA\n' "${extras[@]}"
} | sort -n >"$out/expected.kinds"
cut -d' ' -f1 "$out/expected.kinds" | sort -n -u >"$out/expected.keys"
[ "$(wc -l <"$out/expected.keys")" = 18 ] || { echo "corruption keys overlap: $(paste -sd' ' "$out/expected.keys")" >&2; exit 1; }
echo "corrupted the shards: 18 keys differ: $(paste -sd' ' "$out/expected.keys")"

# ---- our verify --------------------------------------------------------------------------------
cat >"$out/job.yaml" <<EOF
name: bench-verify
sources:
  - host: 127.0.0.1
    port: $source_port
    user: shardsync_cdc
    password: {file: $local_dir/secrets/shardsync_cdc.password}
    serverIdRange: 5501-5504
shards:
  - name: shard-0
    url: jdbc:mariadb://127.0.0.1:${shard_ports[0]}/
    user: shardsync_writer
    password: {file: $local_dir/secrets/shardsync_writer.password}
  - name: shard-1
    url: jdbc:mariadb://127.0.0.1:${shard_ports[1]}/
    user: shardsync_writer
    password: {file: $local_dir/secrets/shardsync_writer.password}
tables:
  - database: $db
    table: orders
    primaryKey: [id]
    shardKey: user_id
    shardRule: mod
    versionColumn: version
EOF
echo "Running ShardSync verify (output: $out/verify.out)"
started=$(now)
set +e
java -cp "target/classes:$(cat "$out/classpath")" io.shardsync.ShardSync --mode verify \
    --config "$out/job.yaml" --report "$out/verify-report.json" --rechecks 0 --threads "$threads" \
    >"$out/verify.out" 2>&1
verify_exit=$?
set -e
ours_wall=$(elapsed "$started" "$(now)")
grep -qE '^(CLEAN|DIFFERENCES):' "$out/verify.out" || { cat "$out/verify.out" >&2; echo "verify failed (exit $verify_exit)" >&2; exit 1; }
summary=$(grep -E '^(CLEAN|DIFFERENCES):' "$out/verify.out" | tail -1)
ours_rows=$(sed -E 's/^[A-Z]+: ([0-9]+) rows.*/\1/' <<<"$summary")
ours_seconds=$(sed -E 's/.* in ([0-9.]+) s \(.*/\1/' <<<"$summary")
ours_rate=$(sed -E 's/.*\(([0-9]+) rows\/s\).*/\1/' <<<"$summary")
jq -r '.tables[].differences[] | "\(.key[0]) \(.kind)"' "$out/verify-report.json" | sort -n >"$out/ours.kinds"
cut -d' ' -f1 "$out/ours.kinds" | sort -n -u >"$out/ours.keys"
ours_found=$(jq '[.tables[].differences[]] | length' "$out/verify-report.json")
jq -r '.tables[].differences[] | "  \(.kind) \(.key) \(.shards) \(.columns)"' "$out/verify-report.json" >"$out/ours.differences"
echo "verify exit code $verify_exit; $ours_found differences"

# ---- pt-table-sync -----------------------------------------------------------------------------
pt_seconds=0
: >"$out/pt.sql"
for i in 0 1; do
    echo "Running pt-table-sync --print source -> shard-$i (output: $out/pt-shard-$i.sql)"
    started=$(now)
    # exit status 2: differences found
    pt_exit=0
    pt-table-sync --print --where "user_id % 2 = $i" \
        "F=$cnf,h=127.0.0.1,P=$source_port,D=$db,t=orders" "F=$cnf,h=127.0.0.1,P=${shard_ports[$i]}" \
        >"$out/pt-shard-$i.sql" 2>"$out/pt-shard-$i.err" || pt_exit=$?
    if [ "$pt_exit" != 0 ] && [ "$pt_exit" != 2 ]; then
        cat "$out/pt-shard-$i.err" >&2
        echo "pt-table-sync failed for shard-$i (exit $pt_exit)" >&2
        exit 1
    fi
    seconds=$(elapsed "$started" "$(now)")
    echo "  $(grep -c . "$out/pt-shard-$i.sql" || true) statements in $seconds s"
    pt_seconds=$(awk -v a="$pt_seconds" -v b="$seconds" 'BEGIN { printf "%.1f", a + b }')
    cat "$out/pt-shard-$i.sql" >>"$out/pt.sql"
done
# The id of each statement: INSERT/REPLACE ... VALUES ('<id>', ...), or DELETE/UPDATE ... WHERE `id`='<id>';
# INSERT is a missing row, UPDATE or REPLACE a different one, DELETE an extra one.
perl -ne '
    if (/^(INSERT|REPLACE)\b.*?\bVALUES\s*\(\s*'\''?(-?\d+)/) { print "$2 ", ($1 eq "INSERT" ? "MISSING" : "DIFFERENT"), "\n" }
    elsif (/^(DELETE|UPDATE)\b.*\bWHERE\s+`id`\s*=\s*'\''?(-?\d+)/) { print "$2 ", ($1 eq "DELETE" ? "EXTRA" : "DIFFERENT"), "\n" }
    elsif (/\S/) { print STDERR "unparsed pt-table-sync line: $_" }' "$out/pt.sql" | sort -n >"$out/pt.kinds"
cut -d' ' -f1 "$out/pt.kinds" | sort -n -u >"$out/pt.keys"
pt_found=$(grep -cE '^(INSERT|REPLACE|DELETE|UPDATE)' "$out/pt.sql" || true)
pt_rows=$(sql "$source_port" "SELECT COUNT(*) FROM $db.orders")
pt_rate=$(awk -v r="$pt_rows" -v s="$pt_seconds" 'BEGIN { printf "%d", (s > 0 ? r / s : 0) }')

# ---- results -----------------------------------------------------------------------------------
check() {
    local name=$1 tool=$2
    if cmp -s "$out/expected.keys" "$out/$tool.keys"; then
        echo "OK        $name found exactly the $(wc -l <"$out/expected.keys") expected keys"
    else
        echo "MISMATCH  $name"
        echo "          expected: $(paste -sd' ' "$out/expected.keys")"
        echo "          found:    $(paste -sd' ' "$out/$tool.keys")"
        echo "          missed:   $(comm -23 "$out/expected.keys" "$out/$tool.keys" | paste -sd' ')"
        echo "          spurious: $(comm -13 "$out/expected.keys" "$out/$tool.keys" | paste -sd' ')"
    fi
    if cmp -s "$out/expected.kinds" "$out/$tool.kinds"; then
        echo "OK        $name reported each key once, with the expected kind (missing/different/extra)"
    else
        echo "MISMATCH  $name kinds (< expected, > found):"
        diff "$out/expected.kinds" "$out/$tool.kinds" | grep '^[<>]' | sed 's/^/          /' || true
    fi
}
echo
grep -vE '^verify [^ ]+: [0-9]+ chunks' "$out/verify.out" | sed 's/^/verify| /'
echo
check "ShardSync verify" ours
check "pt-table-sync   " pt
if cmp -s "$out/ours.keys" "$out/pt.keys"; then echo "both tools found the same keys"; else echo "the tools found different keys"; fi
echo
ours_wall_rate=$(awk -v r="$ours_rows" -v s="$ours_wall" 'BEGIN { printf "%d", (s > 0 ? r / s : 0) }')
printf '%-36s %10s %9s %10s %12s\n' tool rows seconds rows/s differences
printf '%-36s %10s %9s %10s %12s\n' "ShardSync verify (its own timing)" "$ours_rows" "$ours_seconds" "$ours_rate" "$ours_found"
printf '%-36s %10s %9s %10s %12s\n' "ShardSync verify (wall, JVM start)" "$ours_rows" "$ours_wall" "$ours_wall_rate" "$ours_found"
printf '%-36s %10s %9s %10s %12s\n' "pt-table-sync --print (2 runs)" "$pt_rows" "$pt_seconds" "$pt_rate" "$pt_found"
awk -v o="$ours_rate" -v w="$ours_wall_rate" -v p="$pt_rate" 'BEGIN {
    if (p > 0) printf "ratio ours/pt-table-sync (rows/s): %.2f (its own timing), %.2f (wall)\n", o / p, w / p }'
